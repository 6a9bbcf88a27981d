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

export interface Reaped {
  /** Workers silent past the bound: forgotten, their pool's locks released. */
  workers: ReapedWorker[];
  /** Pools no live worker claims whose locks were older than the bound (released too). */
  orphanedPools: string[];
}

/**
 * Releases the job locks of workers whose heartbeat is older than `deadAfterMs` and forgets them.
 * graphile-worker 0.17 frees a dead worker's locks only after 4 hours; its
 * `force_unlock_workers` (what `WorkerUtils.forceUnlockWorkers` calls) frees them at once, by the
 * id it wrote to `locked_by`: the worker pool's id, which the heartbeat records.
 *
 * A heartbeat records one pool, the process's latest. A lock older than the bound held by a pool
 * that no live heartbeat (nor this process, `ownPools`) claims is released too: a pool the
 * heartbeat never named (a runner replaced and then killed before its old pool's locks were
 * freed) would otherwise keep its job for those 4 hours. A running legacy import claims its pool
 * by its run row.
 *
 * One statement, so a worker is never forgotten without its locks released. Jobs are safe to run
 * twice, so a worker judged dead while merely cut off from the database costs at most a duplicate run.
 */
export async function reapDeadWorkers(
  db: Kysely<Database>,
  {
    deadAfterMs = DEFAULT_DEAD_AFTER_MS,
    selfId,
    ownPools = [],
  }: { deadAfterMs?: number; selfId?: string | undefined; ownPools?: readonly string[] },
): Promise<Reaped> {
  const bound = sql`now() - make_interval(secs => ${deadAfterMs / 1000})`;
  // Every CTE reads the statement's snapshot: `claimed` still sees the rows `dead` deletes, so it
  // keeps only fresh beats (and this process's own).
  const { rows } = await sql<{ worker_id: string | null; pool_id: string | null }>`
    with dead as (
      delete from worker_heartbeats
       where beat_at < ${bound} and worker_id <> ${selfId ?? ""}
      returning worker_id, pool_id
    ), claimed as (
      select pool_id from worker_heartbeats
       where pool_id is not null and (beat_at >= ${bound} or worker_id = ${selfId ?? ""})
      union select unnest(${[...ownPools]}::text[])
      -- pnpm import:legacy runs its own pool without a heartbeat; its run row names it.
      union select worker_id from legacy_import_runs where status = 'running' and worker_id is not null
    ), orphaned as (
      select locked_by as pool_id from graphile_worker._private_jobs
       where locked_by is not null and locked_at < ${bound}
      union
      select locked_by from graphile_worker._private_job_queues
       where locked_by is not null and locked_at < ${bound}
      except select pool_id from claimed
      except select pool_id from dead
    ), unlocked as (
      select graphile_worker.force_unlock_workers(array(
        select pool_id from dead where pool_id is not null union select pool_id from orphaned))
    )
    select worker_id, pool_id from dead, (select count(*) from unlocked) u
    union all
    select null, pool_id from orphaned, (select count(*) from unlocked) u`.execute(db);
  return {
    workers: rows.filter((r) => r.worker_id !== null).map((r) => ({ workerId: r.worker_id!, poolId: r.pool_id })),
    orphanedPools: rows.filter((r) => r.worker_id === null).map((r) => r.pool_id!),
  };
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
