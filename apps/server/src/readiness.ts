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
 * What this API process needs to serve — Postgres, and Redis when it is configured — and nothing
 * else: a worker's missing heartbeat (or any other process's health) must never pull API
 * instances out of rotation; /health/detailed reports those, for humans.
 */
export async function readiness(deps: ReadinessDeps): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const redis = deps.redis;
  const checks: Record<string, Check> = {
    database: await probe(() => sql`select 1`.execute(deps.db)),
    redis: redis ? await probe(() => redis.ping()) : { status: "disabled" },
  };
  const ready = !deps.closing() && !Object.values(checks).some((c) => c.status === "down");
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
