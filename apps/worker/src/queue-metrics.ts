import type { Database } from "@deltacrown/db";
import { metricOnce } from "@deltacrown/ops-kit";
import { sql, type Kysely } from "kysely";
import { Gauge, type Registry } from "prom-client";

/** A scrape never counts past this many runnable jobs: far beyond any alert threshold, and cheap. */
export const BACKLOG_COUNT_CAP = 100_000;

interface QueueSample {
  backlog: number;
  oldest_age_s: number | null;
  workers_alive: number;
  newest_beat_age_s: number | null;
}

/**
 * The job queue as an operator watches it, read from graphile-worker's table at each scrape
 * (one statement, run once however many of these gauges are collected): runnable jobs (due,
 * unlocked, attempts left: the partial index graphile-worker itself polls, capped), the age of
 * the oldest of them, and the workers whose heartbeat is fresh. The API reports these too, so a
 * backlog still shows when every worker is down. A failed sample leaves the gauges empty.
 */
export function observeJobQueue(
  registry: Registry,
  db: Kysely<Database>,
  options: { workerStaleAfterMs?: number; timeoutMs?: number } = {},
): void {
  const staleAfterSeconds = (options.workerStaleAfterMs ?? 30_000) / 1000;
  const timeoutMs = options.timeoutMs ?? 1000;
  let current: { at: number; sample: Promise<QueueSample | undefined> } | undefined;
  // The gauges of one scrape are collected concurrently: they share one sample.
  const sample = () => {
    const now = performance.now();
    if (!current || now - current.at > 250) current = { at: now, sample: read() };
    return current.sample;
  };
  const read = async (): Promise<QueueSample | undefined> => {
    const query = sql<QueueSample>`
      select count(*)::int as backlog,
             extract(epoch from now() - min(j.run_at))::float8 as oldest_age_s,
             (select count(*)::int from worker_heartbeats
               where beat_at > now() - make_interval(secs => ${staleAfterSeconds})) as workers_alive,
             (select extract(epoch from now() - max(beat_at))::float8 from worker_heartbeats) as newest_beat_age_s
      from (select run_at from graphile_worker._private_jobs
             where is_available and run_at <= now() limit ${BACKLOG_COUNT_CAP}) j`.execute(db);
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref());
    try {
      const result = await Promise.race([query, timeout]);
      return result?.rows[0];
    } catch {
      return undefined;
    }
  };
  const gauge = (name: string, help: string, value: (s: QueueSample) => number | null) =>
    metricOnce(
      registry,
      name,
      () =>
        new Gauge({
          name,
          help,
          registers: [registry],
          // A database-wide reading, the same in every API process: several processes' /metrics
          // (cluster-metrics.ts) report it once, not summed.
          aggregator: "max",
          async collect() {
            this.reset();
            const s = await sample();
            const v = s && value(s);
            if (v !== undefined && v !== null) this.set(v);
          },
        }),
    );
  gauge(
    "dc_job_queue_backlog",
    `Runnable jobs waiting for a worker (due, unlocked, attempts left; counted up to ${BACKLOG_COUNT_CAP})`,
    (s) => s.backlog,
  );
  gauge(
    "dc_job_queue_oldest_age_seconds",
    "How long the oldest runnable job has been due (0 when none is waiting)",
    (s) => s.oldest_age_s ?? 0,
  );
  gauge("dc_workers_alive", "Workers whose heartbeat is fresh", (s) => s.workers_alive);
  gauge(
    "dc_worker_heartbeat_age_seconds",
    "Age of the newest worker heartbeat (absent when no worker ever beat or all stopped cleanly)",
    (s) => s.newest_beat_age_s,
  );
}
