import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";

export interface Heartbeat {
  workerId: string;
  /** Stops beating and removes this worker's row: a worker that stopped is not alive. */
  stop(): Promise<void>;
}

export interface HeartbeatOptions {
  db: Kysely<Database>;
  intervalMs?: number;
  onError?: (error: unknown) => void;
  /** graphile-worker's current pool id (what it writes to `locked_by`), recorded with each beat. */
  poolId?: () => string | undefined;
}

/**
 * Upserts this process's row in `worker_heartbeats` now and every `intervalMs`, so the API's
 * /health/detailed can tell a live worker from a dead one through the database alone. Beats never
 * overlap (each is scheduled after the previous one finished); a failed beat is reported and
 * retried at the next tick, and a worker that dies simply stops beating.
 */
export async function startHeartbeat({ db, intervalMs = 5000, onError, poolId }: HeartbeatOptions): Promise<Heartbeat> {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const beat = () => {
    const pool = poolId?.() ?? null;
    return db
      .insertInto("worker_heartbeats")
      .values({ worker_id: workerId, hostname: hostname(), pid: process.pid, pool_id: pool })
      .onConflict((oc) => oc.column("worker_id").doUpdateSet({ beat_at: sql<Date>`now()`, pool_id: pool }))
      .execute();
  };
  // Rows of workers that died without saying so; a day is far beyond any staleness threshold.
  await db
    .deleteFrom("worker_heartbeats")
    .where("beat_at", "<", sql<Date>`now() - interval '1 day'`)
    .execute();
  await beat();

  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = beat().then(undefined, (error: unknown) => onError?.(error));
      void inFlight.then(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
  };
  schedule();

  return {
    workerId,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      await db
        .deleteFrom("worker_heartbeats")
        .where("worker_id", "=", workerId)
        .execute()
        .catch((error: unknown) => onError?.(error));
    },
  };
}
