import { probe, type ProbeResult } from "@deltacrown/ops-kit";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { sql, type Kysely } from "kysely";
import type { Database } from "@deltacrown/db";

export interface ReadinessDeps {
  db: Kysely<Database>;
  /** The shared cache tier, when configured. */
  redis?: Redis | undefined;
  /** True once the process is shutting down: it must leave the load balancer's rotation. */
  closing: () => boolean;
}

type Check = ProbeResult | { status: "disabled" };

/**
 * The checks whose failure takes this instance out of rotation: only what it cannot serve
 * without. Postgres. Not Redis: without it every API process still serves (the cache reads
 * through to Postgres, abuse limits fail open; see docs/runbooks/redis-down.md), and since all
 * instances share one Redis, failing readiness on it would empty the load balancer at once.
 * Redis is still probed and reported. Never the worker's heartbeat (/health/detailed has it).
 */
export const REQUIRED_FOR_READINESS: readonly string[] = ["database"];

/** Probes Postgres and Redis (when configured); ready when every required one is up and not closing. */
export async function readiness(deps: ReadinessDeps): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const redis = deps.redis;
  const checks: Record<string, Check> = {
    database: await probe(() => sql`select 1`.execute(deps.db)),
    redis: redis ? await probe(() => redis.ping()) : { status: "disabled" },
  };
  const ready = !deps.closing() && REQUIRED_FOR_READINESS.every((name) => checks[name]?.status !== "down");
  return { ready, checks };
}

/** GET /health/ready: 200 when ready, 503 (with which check failed) when not, or while shutting down. */
export function registerReadiness(app: FastifyInstance, deps: ReadinessDeps): void {
  app.get("/health/ready", async (_req, reply) => {
    const { ready, checks } = await readiness(deps);
    const status = deps.closing() ? "shutting down" : ready ? "ready" : "not ready";
    return reply.code(ready ? 200 : 503).send({ status, checks });
  });
}
