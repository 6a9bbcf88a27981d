import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";
import { defaultDecayConfig, type DecayConfig } from "./points.ts";

export interface DecayResult {
  runId: string;
  batches: number;
  decayed: number;
  /** True once every inactive ranking of this run has been processed. */
  finished: boolean;
}

export interface DecayOptions {
  runId: string;
  config?: Partial<DecayConfig>;
  now?: Date;
  /** Test hook: runs after each committed batch (a throw simulates a crash mid-run). */
  afterBatch?: (batch: number) => void | Promise<void>;
}

export interface DecayBatchResult {
  /** Rankings decayed by this batch (0 when the run was already finished). */
  decayed: number;
  /** Whether a batch statement ran. */
  ran: boolean;
  /** True once every inactive ranking of this run has been processed. */
  finished: boolean;
}

/** The progress row of one lane: the run id itself when the run has one lane. */
export function decayProgressId(runId: string, lane: number, lanes: number): string {
  return lanes === 1 ? runId : `${runId}#${lane}/${lanes}`;
}

/**
 * One batch of the daily decay of inactive teams' CP, in its own transaction: ONE statement
 * writes the ledger rows (source `decay`/<runId>), their sum into current_cp, and the lane's
 * progress (the last ranking id). A crash loses nothing committed: the next call resumes after
 * the last committed batch, and the ledger's unique (source_type, source_id, team_id) makes a
 * repeated batch a no-op, so a rerun finishes the work exactly once — also across lanes, whose
 * ledger rows share the run id (a run restarted with another lane count skips what is done).
 * 2 queries per batch. The decayed teams' pages (which show CP) are invalidated after the batch
 * commits.
 */
export async function runDecayBatch(
  db: Kysely<Database>,
  options: { runId: string; lane?: number; config?: Partial<DecayConfig>; now?: Date; cache?: Cache | undefined },
): Promise<DecayBatchResult> {
  const config = { ...defaultDecayConfig, ...options.config };
  const lane = options.lane ?? 0;
  if (
    !Number.isInteger(config.lanes) ||
    config.lanes < 1 ||
    !Number.isInteger(lane) ||
    lane < 0 ||
    lane >= config.lanes
  )
    throw new RangeError(`decay lane ${lane} of ${config.lanes}`);
  const progressId = decayProgressId(options.runId, lane, config.lanes);
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - config.inactiveDays * 86_400_000);
  const run = await sql<{ last_ranking_id: number; finished: boolean }>`
    insert into rankings_decay_runs as d (run_id) values (${progressId})
    on conflict (run_id) do update set run_id = d.run_id
    returning d.last_ranking_id, d.finished_at is not null as finished`.execute(db);
  const state = run.rows[0];
  if (!state || state.finished) return { decayed: 0, ran: false, finished: true };
  const result = await db.transaction().execute((trx) =>
    sql<{ size: number; decayed: number; slugs: string[] }>`
      with batch as (
        select r.id, r.team_id, r.game_id,
               least(r.current_cp, greatest(1, (r.current_cp * ${config.percent}) / 100))::int as loss
        from team_rankings r
        where r.id > ${state.last_ranking_id} and r.last_activity_at < ${cutoff} and r.current_cp > 0
          and r.id % ${config.lanes}::int = ${lane}::int
        order by r.id
        limit ${config.batchSize}
      ), ins as (
        insert into cp_ledger (team_id, game_id, delta, source_type, source_id, reason)
        select team_id, game_id, -loss, 'decay', ${options.runId}, 'inactivity' from batch
        on conflict (source_type, source_id, team_id) do nothing
        returning team_id, game_id, delta
      ), upd as (
        update team_rankings r set current_cp = r.current_cp + ins.delta, updated_at = now()
        from ins where r.team_id = ins.team_id and r.game_id = ins.game_id
        returning r.id, r.team_id
      ), progress as (
        update rankings_decay_runs
        set last_ranking_id = coalesce((select max(id) from batch), last_ranking_id),
            decayed = decayed + (select count(*) from upd),
            finished_at = case when (select count(*) from batch) < ${config.batchSize} then now() end
        where run_id = ${progressId}
      )
      select (select count(*) from batch)::int as size, (select count(*) from upd)::int as decayed,
             (select coalesce(array_agg(t.slug::text), '{}') from upd join teams t on t.id = upd.team_id) as slugs`.execute(
      trx,
    ),
  );
  const row = result.rows[0];
  if (row && row.slugs.length > 0)
    await options.cache?.invalidateMany(row.slugs.map((slug) => ["teamDetail", slug] as const));
  return { decayed: row?.decayed ?? 0, ran: true, finished: !row || row.size < config.batchSize };
}

/**
 * A whole run: its lanes at once (the worker runs one batch per job and one job chain per lane;
 * see the task), each batch after batch. A failing lane stops the others after their current
 * batch, so nothing runs on once this rejects.
 */
export async function runDecay(db: Kysely<Database>, options: DecayOptions): Promise<DecayResult> {
  const lanes = options.config?.lanes ?? defaultDecayConfig.lanes;
  let batches = 0;
  let decayed = 0;
  let failed = false;
  const runLane = async (lane: number) => {
    while (!failed) {
      const batch = await runDecayBatch(db, { ...options, lane });
      if (!batch.ran) break;
      batches++;
      decayed += batch.decayed;
      await options.afterBatch?.(batches);
      if (batch.finished) break;
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: lanes }, (_, lane) =>
      runLane(lane).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  const ids = Array.from({ length: lanes }, (_, lane) => decayProgressId(options.runId, lane, lanes));
  const total = await db
    .selectFrom("rankings_decay_runs")
    .select((eb) => eb.fn.sum<string | number | null>("decayed").as("decayed"))
    .where("run_id", "in", ids)
    .executeTakeFirst();
  return {
    runId: options.runId,
    batches,
    decayed: total?.decayed == null ? decayed : Number(total.decayed),
    finished: true,
  };
}
