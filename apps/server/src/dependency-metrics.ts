import { probe } from "@deltacrown/ops-kit";
import type { Redis } from "ioredis";
import { handleConnectionErrors } from "@deltacrown/db";
import pg from "pg";
import { Gauge, type Registry } from "prom-client";

/**
 * `dc_dependency_up{dependency}`: 1 when Postgres (and Redis, when configured) answered a probe
 * at this scrape within a second, 0 when not — what the "database down" and "Redis down" alerts
 * read. Postgres is probed over a connection of its own: through the API's pool, a pool busy with
 * slow calls would look like a database that is down.
 */
export function observeDependencies(
  registry: Registry,
  options: { databaseUrl: string; redis?: Redis | undefined },
): { close(): Promise<void> } {
  const probes = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 1,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 1000,
    application_name: "deltacrown-probe",
  });
  // A probe's connection dropping (the database restarted) is a failed probe, not a crash.
  handleConnectionErrors(probes);
  new Gauge({
    name: "dc_dependency_up",
    help: "1 when the dependency answered a probe at this scrape, 0 when not",
    labelNames: ["dependency"],
    registers: [registry],
    // Across several API processes (cluster-metrics.ts): down when any process finds it down.
    aggregator: "min",
    async collect() {
      const { redis } = options;
      const [database, cache] = await Promise.all([
        probe(() => probes.query("select 1")),
        redis && probe(() => redis.ping()),
      ]);
      this.reset();
      this.set({ dependency: "database" }, database.status === "up" ? 1 : 0);
      if (cache) this.set({ dependency: "redis" }, cache.status === "up" ? 1 : 0);
    },
  });
  return { close: () => probes.end() };
}
