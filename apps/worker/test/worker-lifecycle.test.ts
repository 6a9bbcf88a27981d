/**
 * The running worker: it beats in `worker_heartbeats` while alive, a job in flight when it is
 * stopped completes before stop() resolves (graceful shutdown), and every job lands in the job
 * metrics (durations, failures, retries per task), served by its own /metrics. A runner that stops
 * on its own is replaced, and the jobs it left locked run again at once.
 */
import { notify } from "@deltacrown/domain";
import { installOpenHandleCheck, trackOpen, useTestServices, waitFor } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTaskList, createWorkerMetrics, serveMetrics, startWorker, type Mail } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

installOpenHandleCheck();

describe("worker lifecycle", () => {
  const services = useTestServices();

  async function userWithNotification(username: string) {
    const user = await services.db
      .insertInto("users")
      .values({ username, email: `${username}@x.dc`, display_name: username, password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await services.db
      .transaction()
      .execute((trx) => notify(trx, [{ userId: user.id, kind: "team.invite", payload: { teamName: "Slow Crew" } }]));
    return user;
  }

  it("beats while alive, finishes the job in flight on stop, then clears its heartbeat", async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let sending = false;
    const sent: Mail[] = [];
    // A mailer that holds the job in flight until the test lets it go.
    const mailer = {
      async send(mail: Mail) {
        sending = true;
        await gate;
        sent.push(mail);
        events.push("job finished");
      },
      close: () => undefined,
    };
    const metrics = createWorkerMetrics();
    const worker = await startWorker({
      connectionString: services.url,
      deps: { db: services.db, mailer },
      pollIntervalMs: 100,
      heartbeatIntervalMs: 100,
      crontab: false,
      metrics,
    });
    const untrack = trackOpen("worker", () => worker.stop());
    try {
      const beat = () =>
        services.db
          .selectFrom("worker_heartbeats")
          .selectAll()
          .where("worker_id", "=", worker.workerId!)
          .executeTakeFirst();
      const first = await beat();
      expect(first).toMatchObject({ pid: process.pid });
      // It keeps beating.
      await waitFor(async () => ((await beat())!.beat_at > first!.beat_at ? true : undefined));

      await userWithNotification("slowpoke");
      await waitFor(() => Promise.resolve(sending || undefined));
      const shuttingDown = new Promise((r) => worker.runner.events.once("pool:gracefulShutdown", r));
      const stopped = worker.stop().then(() => events.push("worker stopped"));
      await shuttingDown; // the worker is stopping while the job is still in flight
      expect(events).toEqual([]);
      release();
      await stopped;
      expect(events).toEqual(["job finished", "worker stopped"]);
      expect(sent).toHaveLength(1);
      // Completed, not failed or handed back: the job is gone from the queue.
      const { rows } = await sql<{ n: string }>`select count(*) as n from graphile_worker.jobs`.execute(services.db);
      expect(Number(rows[0]!.n)).toBe(0);
      expect(await beat()).toBeUndefined();
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/dc_job_duration_seconds_count\{task="notifications\/deliver",outcome="ok"\} 1/);
    } finally {
      release();
      await worker.stop();
      untrack();
    }
  });

  it("counts failures and retries per task and serves them on its own /metrics", async () => {
    const metrics = createWorkerMetrics();
    const drain = () =>
      runJobsOnce({
        pgPool: workerPool(services.pool),
        logger: new Logger(() => () => undefined),
        taskList: createTaskList({ deps: { db: services.db }, onJob: (r) => metrics.record(r) }),
      });
    await sql`select graphile_worker.add_job('audit/write', '{"action": 7}'::json, max_attempts => 2)`.execute(
      services.db,
    );
    await drain();
    // Make the failed job due again now instead of after its back-off.
    await sql`update graphile_worker._private_jobs set run_at = now()`.execute(services.db);
    await drain();

    const server = await serveMetrics(metrics.registry, 0, { host: "127.0.0.1" });
    const untrack = trackOpen("metrics server", () => server.close());
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toMatch(/dc_job_failures_total\{task="audit\/write"\} 2/);
      expect(text).toMatch(/dc_job_retries_total\{task="audit\/write"\} 1/);
      expect(text).toMatch(/dc_job_duration_seconds_count\{task="audit\/write",outcome="failed"\} 2/);
      expect(text).toMatch(/process_cpu_seconds_total/);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
      untrack();
    }
  });

  it("replaces a runner that stopped on its own and frees the jobs it left locked", { timeout: 90_000 }, async () => {
    const sent: Mail[] = [];
    const mailer = { send: (mail: Mail) => Promise.resolve(void sent.push(mail)), close: () => undefined };
    const worker = await startWorker({
      connectionString: services.url,
      deps: { db: services.db, mailer },
      pollIntervalMs: 100,
      heartbeatIntervalMs: 100,
      crontab: false,
    });
    const untrack = trackOpen("worker", () => worker.stop());
    try {
      const { pool_id: oldPool } = await services.db
        .selectFrom("worker_heartbeats")
        .select("pool_id")
        .where("worker_id", "=", worker.workerId!)
        .executeTakeFirstOrThrow();
      expect(oldPool).toBeTruthy();
      const first = worker.runner;
      // What a pool leaves when it gives up (it could not record a completion while the database
      // was away): a job locked by its id. Then the pool stops without the worker asking.
      // One transaction, so the running pool can't take the job before it is marked as its own.
      const jobId = await services.db.transaction().execute(async (trx) => {
        const user = await trx
          .insertInto("users")
          .values({ username: "orphaned", email: "orphaned@x.dc", display_name: "orphaned", password_hash: "x" })
          .returning("id")
          .executeTakeFirstOrThrow();
        await notify(trx, [{ userId: user.id, kind: "team.invite", payload: { teamName: "Left Locked" } }]);
        const { rows } = await sql<{ id: string }>`update graphile_worker._private_jobs j
             set locked_at = now(), locked_by = ${oldPool}
            from graphile_worker._private_tasks t
           where t.id = j.task_id and t.identifier = 'notifications/deliver' and j.locked_by is null
           returning j.id::text`.execute(trx);
        expect(rows).toHaveLength(1);
        return rows[0]!.id;
      });
      await first.stop();
      await waitFor(() => (worker.runner !== first ? true : undefined), { timeoutMs: 30_000 });
      // The job runs on the new runner now, not after graphile-worker's 4 hours.
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
              where id = ${jobId}`.execute(services.db);
          return rows[0]!.n === 0 ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(sent).toHaveLength(1);
    } finally {
      await worker.stop();
      untrack();
    }
  });
});
