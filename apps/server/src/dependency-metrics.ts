import type { Redis } from "ioredis";
import { Gauge, type Registry } from "prom-client";
import { probe } from "./probe.ts";

/**
 * `dc_dependency_up{dependency}`: 1 when the database (and Redis, when configured) answered a
 * probe at this scrape within a second, 0 when not. What the "database down" and "Redis down"
 * alerts read; the probes are the ones /health/detailed runs.
 */
export function observeDependencies(
  registry: Registry,
  checks: { database: () => Promise<unknown>; redis?: Redis | undefined },
): void {
  new Gauge({
    name: "dc_dependency_up",
    help: "1 when the dependency answered a probe at this scrape, 0 when not",
    labelNames: ["dependency"],
    registers: [registry],
    async collect() {
      const { redis } = checks;
      const [database, cache] = await Promise.all([probe(checks.database), redis && probe(() => redis.ping())]);
      this.reset();
      this.set({ dependency: "database" }, database.status === "up" ? 1 : 0);
      if (cache) this.set({ dependency: "redis" }, cache.status === "up" ? 1 : 0);
    },
  });
}
