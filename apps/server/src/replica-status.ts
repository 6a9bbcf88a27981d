import type { ReplicaSet } from "@deltacrown/db";
import { Gauge, type Registry } from "prom-client";

/**
 * Each read replica as /health/detailed shows it: status (up, lagging beyond the bound, down),
 * replay lag and position. A replica being away degrades nothing visible (reads fall back to the
 * primary), so it never turns the endpoint's status to 503; the fallbacks are counted in
 * dc_replica_fallbacks_total.
 */
export function replicaStatus(replicas: ReplicaSet) {
  return () => ({ maxLagMs: replicas.maxLagMs, servers: replicas.status() });
}

/** dc_replica_lag_seconds and dc_replica_up per replica, read at scrape time from the last poll. */
export function observeReplicas(registry: Registry, replicas: ReplicaSet): void {
  new Gauge({
    name: "dc_replica_lag_seconds",
    help: "Replay lag of each read replica at its last poll (absent while it is down)",
    labelNames: ["replica"],
    registers: [registry],
    aggregator: "max",
    collect() {
      this.reset();
      for (const r of replicas.status()) if (r.lagMs !== null) this.set({ replica: r.server }, r.lagMs / 1000);
    },
  });
  new Gauge({
    name: "dc_replica_up",
    help: "1 when the read replica takes reads (up, within the lag bound), else 0",
    labelNames: ["replica"],
    registers: [registry],
    aggregator: "min",
    collect() {
      for (const r of replicas.status()) this.set({ replica: r.server }, r.status === "up" ? 1 : 0);
    },
  });
}
