/**
 * Production process life, on the built output: `pnpm build`, then the API and the worker run
 * with plain `node` on dist/ (no tsx, no "source" condition), answer /health/ready, and on
 * SIGTERM finish the request and the job in flight, close their pools and exit 0.
 *
 * The request and the job are held in flight by a lock this test takes: the request reads
 * `games`, the job inserts into `audit_log`, and both tables are locked until the test commits.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { useTestServices, waitFor } from "@deltacrown/test-harness";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, startBuilt, withoutSourceCondition, type RunningProcess } from "./processes.support.ts";

const run = promisify(execFile);

describe("the built server and worker under SIGTERM", () => {
  const services = useTestServices({ poolMax: 2 });

  beforeAll(async () => {
    // turbo replays the build CI just ran (or builds a fresh clone once), so dist/ matches src/.
    await run(
      process.execPath,
      [
        `${repoRoot}/node_modules/turbo/bin/turbo`,
        "run",
        "build",
        "--filter=@deltacrown/server...",
        "--filter=@deltacrown/worker...",
        "--output-logs=errors-only",
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, NODE_OPTIONS: withoutSourceCondition(process.env.NODE_OPTIONS) },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  }, 600_000);

  it("finish the request and the job in flight, then exit 0", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: services.url,
      PORT: "0",
      LOG_LEVEL: "info",
      NO_COLOR: "1",
      WORKER_METRICS_PORT: "0",
      WORKER_HEARTBEAT_MS: "500",
      WORKER_CONCURRENCY: "1",
    };
    delete env.REDIS_URL;
    let server: RunningProcess | undefined;
    let worker: RunningProcess | undefined;
    const locker = new pg.Client({ connectionString: services.url });
    try {
      server = startBuilt("apps/server/dist/main.js", env);
      worker = startBuilt("apps/worker/dist/main.js", env);
      const listening = await server.waitForLine((l) => l.msg === "DeltaCrown API listening");
      const started = await worker.waitForLine((l) => l.msg === "worker started");
      const api = String(listening.url);
      const workerHttp = `http://127.0.0.1:${String(started.metricsPort)}`;

      for (const base of [api, workerHttp]) {
        expect((await fetch(`${base}/health`)).status).toBe(200);
        const ready = await fetch(`${base}/health/ready`);
        expect(ready.status, base).toBe(200);
        expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { status: "up" } } });
      }

      await locker.connect();
      await locker.query("begin");
      await locker.query("lock table games, audit_log in access exclusive mode");

      // A request in flight: blocked on the lock.
      const request = fetch(`${api}/trpc/games.list`).then(async (r) => ({ status: r.status, body: await r.text() }));
      await waitFor(
        async () => {
          const { rows } = await services.pool.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%games%'",
          );
          return rows[0]!.n > 0 || undefined;
        },
        { timeoutMs: 30_000 },
      );

      // A job in flight: taken by the worker, blocked on the lock.
      await services.pool.query(
        `select graphile_worker.add_job('audit/write', json_build_object(
           'actorId', null, 'action', 'ops.sigterm', 'entityType', 'test', 'entityId', '1'), job_key => 'ops-sigterm')`,
      );
      await waitFor(
        async () => {
          const { rows } = await services.pool.query<{ n: number }>(
            "select count(*)::int as n from graphile_worker.jobs where key = 'ops-sigterm' and locked_at is not null",
          );
          return rows[0]!.n > 0 || undefined;
        },
        { timeoutMs: 30_000 },
      );

      server.child.kill("SIGTERM");
      worker.child.kill("SIGTERM");
      await server.waitForLine((l) => l.msg === "API stopping: finishing in-flight requests and jobs", 30_000);
      await worker.waitForLine((l) => l.msg === "worker stopping: finishing in-flight jobs", 30_000);
      // Both wait for their work in flight instead of exiting under it.
      await new Promise((r) => setTimeout(r, 500));
      expect(server.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();

      await locker.query("commit");
      const answered = await request;
      expect(answered.status, answered.body).toBe(200);
      expect(await server.exited, server.stderr()).toBe(0);
      expect(await worker.exited, worker.stderr()).toBe(0);
      expect(server.lines.map((l) => l.msg)).toContain("API stopped");
      expect(worker.lines.map((l) => l.msg)).toContain("worker stopped");

      const audit = await services.pool.query("select 1 from audit_log where action = 'ops.sigterm'");
      expect(audit.rowCount).toBe(1);
      const left = await services.pool.query(
        "select attempts, locked_at, locked_by, last_error from graphile_worker.jobs where key = 'ops-sigterm'",
      );
      expect(left.rows, JSON.stringify(worker.lines)).toEqual([]);
      for (const proc of [server, worker]) expect(proc.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await locker.end().catch(() => undefined);
      await Promise.all([server?.stop(), worker?.stop()]);
    }
  }, 180_000);
});
