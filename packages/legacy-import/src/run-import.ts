import { EventEmitter } from "node:events";
import { createDb, QueryLedger, runWithLedger, type LegacyEntity } from "@deltacrown/db";
import { enqueue } from "@deltacrown/domain";
import { Logger, makeWorkerUtils, run, type TaskList, type WorkerEvents } from "graphile-worker";
import { sql } from "kysely";
import type { BatchStats } from "./batch.ts";
import { IMPORT_ORDER, TABLES } from "./entities.ts";
import { addBatchJob, importJobs, retryDeadJobs } from "./jobs.ts";
import { LEGACY_IMPORT_TASK, type LegacyImportBatchPayload } from "./payload.ts";
import { reconcile, type Reconciliation } from "./reconcile.ts";
import { formatBatch, formatReport } from "./report-format.ts";
import { openLegacySource } from "./source.ts";
import { legacyImportBatch } from "./task.ts";

export interface ImportOptions {
  /** DeltaCrown's database (migrated). */
  targetUrl: string;
  /** The old Django database, read only. */
  sourceUrl: string;
  batchSize?: number;
  /** Progress and the report, line by line. */
  out: (line: string) => void;
  /** Test hook: stop inside this batch before its commit (see BatchDeps.pauseAt). */
  pauseAt?: { entity: LegacyEntity; batch: number } | undefined;
  /** How often to look at the job chain while it runs. */
  pollMs?: number;
}

export interface RunSummary {
  runId: number;
  batches: number;
  slowestBatchMs: number;
  mostQueries: number;
  durationMs: number;
}

export interface ImportResult {
  ok: boolean;
  reconciliation: Reconciliation;
  run: RunSummary;
  /** The last error of a batch that ran out of attempts, if one did. */
  failure?: string | undefined;
}

/** Only one import at a time; a second one is refused rather than queued. */
const LOCK_KEY = "deltacrown:legacy-import";

/**
 * `pnpm import:legacy`: the batches run as graphile-worker jobs (queue `legacy-import`, one at a
 * time, each enqueuing the next in its own transaction) on a runner this command starts itself, so
 * no separate worker is needed. A crashed run is resumed by running the command again: it releases
 * the dead runner's job and the chain goes on; rows already brought across are skipped.
 */
export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const out = options.out;
  const batchSize = options.batchSize ?? 1000;
  const target = createDb({ connectionString: options.targetUrl, max: 4, applicationName: "deltacrown-legacy-import" });
  // graphile-worker runs on this pool: a client the server drops must not crash the command.
  target.pool.on("connect", (client) => client.on("error", () => undefined));
  const legacy = openLegacySource(options.sourceUrl);
  const lock = await target.pool.connect();
  try {
    await preflight(target.db, legacy.db);
    const { rows: locked } = await lock.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtext($1)) as ok", [
      LOCK_KEY,
    ]);
    if (!locked[0]?.ok) throw new Error("another import is running against this database");

    const utils = await makeWorkerUtils({ pgPool: target.pool });
    try {
      await utils.migrate();
      // Runs still marked running died (we hold the lock): their runner's job is released at once
      // instead of graphile-worker's four hours.
      const { rows: crashed } = await sql<{ worker_id: string }>`
        update legacy_import_runs set status = 'crashed', finished_at = now()
        where status = 'running' and worker_id is not null returning worker_id`.execute(target.db);
      if (crashed.length > 0) await utils.forceUnlockWorkers(crashed.map((r) => r.worker_id));
      await sql`update legacy_import_runs set status = 'crashed', finished_at = now() where status = 'running'`.execute(
        target.db,
      );
    } finally {
      await utils.release();
    }

    const { rows: runRows } = await sql<{ id: number }>`
      insert into legacy_import_runs (source, batch_size) values (${legacy.label}, ${batchSize})
      returning id`.execute(target.db);
    const runId = runRows[0]!.id;
    out(`import run ${runId}: ${legacy.label} → DeltaCrown, batches of ${batchSize}`);

    await reserveIds(target.db, legacy.db);
    await startOrResume(target.db, legacy.label, batchSize, out);

    const summary = { runId, batches: 0, slowestBatchMs: 0, mostQueries: 0, durationMs: 0 };
    const taskList: TaskList = {
      [LEGACY_IMPORT_TASK]: async (payload) => {
        const ledger = new QueryLedger(`job:${LEGACY_IMPORT_TASK}`);
        const t0 = performance.now();
        const stats: BatchStats = await runWithLedger(ledger, () =>
          legacyImportBatch(payload, {
            db: target.db,
            legacy,
            pauseAt: options.pauseAt,
            onPause: (where) => out(`paused inside batch ${where}, before its commit (LEGACY_IMPORT_PAUSE_AT)`),
          }),
        );
        const ms = performance.now() - t0;
        summary.batches++;
        summary.slowestBatchMs = Math.max(summary.slowestBatchMs, ms);
        summary.mostQueries = Math.max(summary.mostQueries, ledger.count);
        out(formatBatch(stats, ledger.count, ms));
      },
    };
    const failure = await runChain(target, runId, taskList, out, options.pollMs ?? 100);

    const reconciliation = await reconcile(target.db, legacy.db);
    summary.durationMs = performance.now() - started;
    const ok = reconciliation.ok && failure === undefined;
    await sql`update legacy_import_runs
      set status = ${ok ? "finished" : "failed"}, finished_at = now(),
        report = ${JSON.stringify({ reconciliation, run: summary, failure: failure ?? null })}::jsonb
      where id = ${runId}`.execute(target.db);
    // Imported CP counts on the leaderboards from their next recompute, which this asks for now.
    await enqueue(target.db, "rankings/leaderboards", {}, { jobKey: "legacy-import:leaderboards" });
    for (const line of formatReport(reconciliation, summary, failure)) out(line);
    return { ok, reconciliation, run: summary, failure };
  } finally {
    await lock.query("select pg_advisory_unlock_all()").catch(() => undefined);
    lock.release();
    await Promise.allSettled([target.destroy(), legacy.destroy()]);
  }
}

async function preflight(target: ReturnType<typeof createDb>["db"], source: ReturnType<typeof createDb>["db"]) {
  const tables = IMPORT_ORDER.map((e) => TABLES[e].source);
  const { rows } = await sql<{ missing: string[] }>`
    select coalesce(array_agg(t) filter (where to_regclass('public.' || t) is null), '{}') as missing
    from unnest(${tables}::text[]) t`.execute(source);
  if (rows[0]!.missing.length > 0)
    throw new Error(`the source is not the old site's database: no ${rows[0]!.missing.join(", ")}`);
  const { rows: mine } = await sql<{ ok: boolean }>`select to_regclass('legacy_import_map') is not null as ok`.execute(
    target,
  );
  if (!mine[0]!.ok) throw new Error("DeltaCrown's database lacks the legacy_import tables: run `pnpm migrate` first");
}

/**
 * Legacy rows keep their ids where those are free here. Moving each sequence past the old
 * database's highest id (that fits an integer) first means no id handed out later — to an
 * imported row without a free id, or to anything DeltaCrown creates meanwhile — can take one.
 */
async function reserveIds(target: ReturnType<typeof createDb>["db"], source: ReturnType<typeof createDb>["db"]) {
  const maxes = sql.join(
    IMPORT_ORDER.map(
      (e) =>
        sql`select ${TABLES[e].target}::text as target, coalesce(max(id), 0)::text as max
          from ${sql.table(TABLES[e].source)} where id <= 2147483647`,
    ),
    sql` union all `,
  );
  const { rows } = await sql<{ target: string; max: string }>`${maxes}`.execute(source);
  await sql`select setval(s.seq, greatest(r.max, coalesce(pg_sequence_last_value(s.seq::regclass), 0), 1))
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(target text, max bigint)
    cross join lateral (select pg_get_serial_sequence(r.target, 'id') as seq) s`.execute(target);
}

async function startOrResume(
  db: ReturnType<typeof createDb>["db"],
  source: string,
  batchSize: number,
  out: (line: string) => void,
): Promise<void> {
  const jobs = await importJobs(db);
  if (jobs.length === 0) {
    const head: LegacyImportBatchPayload = { entity: "user", afterId: "0", batch: 1, batchSize, source };
    await sql`select ${addBatchJob(head)}`.execute(db);
    return;
  }
  const retried = await retryDeadJobs(db, jobs);
  out(
    `resuming the unfinished import at ${jobs.map((j) => j.key).join(", ")}${retried ? " (failed batch retried)" : ""}`,
  );
}

/**
 * Runs graphile-worker on the import task only, until no import job is left (done) or one ran out
 * of attempts (returns its error). A regular worker given LEGACY_DATABASE_URL may take batches too;
 * the queue still runs them one at a time, in order.
 */
async function runChain(
  target: ReturnType<typeof createDb>,
  runId: number,
  taskList: TaskList,
  out: (line: string) => void,
  pollMs: number,
): Promise<string | undefined> {
  // graphile-worker 0.17 locks jobs under its pool's random id. The run records it before the pool
  // takes a job (forbiddenFlags is consulted before every fetch), so whatever moment this process
  // dies at, the next run knows whose lock to release.
  let recorded: Promise<unknown> | undefined;
  const events = new EventEmitter() as WorkerEvents;
  events.on("pool:create", ({ workerPool }) => {
    recorded = sql`update legacy_import_runs set worker_id = ${workerPool.id} where id = ${runId}`.execute(target.db);
  });
  const options = {
    pgPool: target.pool,
    concurrency: 1,
    pollInterval: 200,
    noHandleSignals: true,
    taskList,
    events,
    forbiddenFlags: async () => {
      await recorded;
      return null;
    },
    logger: new Logger(() => (level, message) => {
      const name: string = level;
      if (name === "error") out(`worker: ${message}`);
    }),
  };
  const runner = await run(options);
  try {
    for (;;) {
      const jobs = await importJobs(target.db);
      if (jobs.length === 0) return undefined;
      const dead = jobs.find((j) => j.attempts >= j.maxAttempts);
      if (dead) return `${dead.key ?? dead.id}: ${dead.lastError ?? "failed"}`;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await runner.stop();
  }
}
