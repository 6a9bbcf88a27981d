import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";

/**
 * A worker silent this long is dead: its job locks are released (README: operations). 40 s is
 * 8 missed heartbeats (every 5 s); with a check every 10 s its jobs run again within 50 s.
 */
export const DEFAULT_DEAD_AFTER_MS = 40_000;

export interface ReapedWorker {
  workerId: string;
  poolId: string | null;
}

/**
 * Releases the job locks of workers whose heartbeat is older than `deadAfterMs` and forgets them.
 * graphile-worker 0.17 frees a dead worker's locks only after 4 hours; its
 * `force_unlock_workers` (what `WorkerUtils.forceUnlockWorkers` calls) frees them at once, by the
 * id it wrote to `locked_by`: the worker pool's id, which the heartbeat records. One statement,
 * so a worker is never forgotten without its locks released. Jobs are safe to run twice, so a
 * worker judged dead while merely cut off from the database costs at most a duplicate run.
 */
export async function reapDeadWorkers(
  db: Kysely<Database>,
  { deadAfterMs = DEFAULT_DEAD_AFTER_MS, selfId }: { deadAfterMs?: number; selfId?: string },
): Promise<ReapedWorker[]> {
  const { rows } = await sql<{ worker_id: string; pool_id: string | null }>`
    with dead as (
      delete from worker_heartbeats
       where beat_at < now() - make_interval(secs => ${deadAfterMs / 1000})
         and worker_id <> ${selfId ?? ""}
      returning worker_id, pool_id
    ), unlocked as (
      select graphile_worker.force_unlock_workers(array(select pool_id from dead where pool_id is not null))
    )
    select worker_id, pool_id from dead, (select count(*) from unlocked) u`.execute(db);
  return rows.map((r) => ({ workerId: r.worker_id, poolId: r.pool_id }));
}

/**
 * Releases the job locks of this process's own earlier runners. A graphile-worker pool that stops
 * on its own (it could not record a job's completion while the database was away) leaves those
 * jobs locked by its id; the runner that replaces it has a new id, and the heartbeat records only
 * the new one, so the dead-worker reaper would never free them (graphile-worker: after 4 hours).
 */
export async function unlockRetiredPools(db: Kysely<Database>, poolIds: readonly string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await sql`select graphile_worker.force_unlock_workers(${[...poolIds]}::text[])`.execute(db);
}
