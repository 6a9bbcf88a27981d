/**
 * What an operator sees: /health (liveness, always 200), /health/detailed (database, Redis and
 * worker heartbeat, each with latency; 503 when one is down), /metrics (procedures, cache, jobs),
 * graceful shutdown of an in-flight request, and a dead Redis: reported down while cached reads
 * fall back to the database.
 */
import { findFreePort } from "@deltacrown/db/embedded";
import { createClient } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { PlatformConfig } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

interface Check {
  status: "up" | "down" | "disabled";
  latencyMs?: number;
  error?: string;
  lastBeatAgeMs?: number;
}
interface Detailed {
  status: string;
  checks: { database: Check; redis: Check; worker: Check };
}

async function detailed(url: string): Promise<{ code: number; body: Detailed }> {
  const response = await fetch(`${url}/health/detailed`);
  return { code: response.status, body: (await response.json()) as Detailed };
}

describe("operable server", () => {
  const services = useTestServices();

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
  });

  const platform = (overrides: Partial<PlatformConfig> = {}) => startTestPlatform(services, overrides);

  it("reports database, Redis and the worker heartbeat, and every metric family, in RUN_WORKER mode", async () => {
    const p = await platform({ runWorker: true, workerStaleAfterMs: 5000, workerHeartbeatMs: 200 });
    try {
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
      const health = await waitFor(async () => {
        const h = await detailed(p.url);
        return h.code === 200 ? h : undefined;
      });
      expect(health.body.status).toBe("ok");
      for (const name of ["database", "redis", "worker"] as const) {
        expect(health.body.checks[name].status).toBe("up");
        expect(health.body.checks[name].latencyMs).toBeGreaterThanOrEqual(0);
      }
      expect(health.body.checks.worker.lastBeatAgeMs).toBeLessThanOrEqual(5000);

      // Calls that produce each family: a miss then a hit, an error, a write whose audit job runs.
      const dc = createClient({ url: p.url });
      await dc.games.list.query();
      await dc.games.list.query();
      await expect(dc.teams.bySlug.query({ slug: "no-such-team" })).rejects.toThrow();
      await dc.identity.signUp.mutate({ username: "metered", email: "metered@dc.gg", password: "long-enough-pw" });
      const text = await waitFor(async () => {
        const body = await (await fetch(`${p.url}/metrics`)).text();
        return /dc_job_duration_seconds_count\{task="audit\/write",outcome="ok"\} [1-9]/.test(body) ? body : undefined;
      });
      expect(text).toMatch(/dc_procedure_duration_seconds_count\{path="games.list",category="list"\} 2/);
      expect(text).toMatch(/dc_procedure_queries_count\{path="identity.signUp"\} 1/);
      expect(text).toMatch(/dc_procedure_errors_total\{path="teams.bySlug",code="NOT_FOUND"\} 1/);
      expect(text).toMatch(/dc_cache_requests_total\{family="[A-Za-z-]+",result="miss"\} [1-9]/);
      expect(text).toMatch(/dc_cache_requests_total\{family="[A-Za-z-]+",result="hit"\} [1-9]/);
      expect(text).toMatch(/# TYPE dc_budget_violations_total counter/);
      expect(text).toMatch(/dc_job_queries_count\{task="audit\/write"\} [1-9]/);
      expect(text).toMatch(/# TYPE dc_job_failures_total counter/);
      expect(text).toMatch(/# TYPE dc_job_retries_total counter/);
    } finally {
      await p.close();
    }
    // A worker that stopped gracefully took its heartbeat with it.
    expect(await services.db.selectFrom("worker_heartbeats").select("worker_id").execute()).toEqual([]);
  });

  it("answers 503 on /health/detailed for a missing or stale worker heartbeat while /health and /health/ready stay 200", async () => {
    const p = await platform({ workerStaleAfterMs: 30_000 });
    try {
      const none = await detailed(p.url);
      expect(none.code).toBe(503);
      expect(none.body.checks.worker).toMatchObject({ status: "down", error: "no worker heartbeat recorded" });
      expect(none.body.checks.database.status).toBe("up");

      await services.db
        .insertInto("worker_heartbeats")
        .values({ worker_id: "gone", hostname: "h", pid: 1, beat_at: sql<Date>`now() - interval '2 minutes'` })
        .execute();
      const stale = await detailed(p.url);
      expect(stale.code).toBe(503);
      expect(stale.body.checks.worker.status).toBe("down");
      expect(stale.body.checks.worker.lastBeatAgeMs).toBeGreaterThan(100_000);
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
      // Readiness is what this process needs to serve: a dead worker must not pull it out of rotation.
      const ready = await fetch(`${p.url}/health/ready`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; checks: Record<string, Check> };
      expect(body).toMatchObject({ status: "ready", checks: { database: { status: "up" } } });
      expect(Object.keys(body.checks).sort()).toEqual(["database", "redis"]);

      await services.db
        .updateTable("worker_heartbeats")
        .set({ beat_at: sql<Date>`now()` })
        .execute();
      const fresh = await detailed(p.url);
      expect(fresh.code).toBe(200);
      expect(fresh.body.checks.worker.status).toBe("up");
    } finally {
      await services.db.deleteFrom("worker_heartbeats").execute();
      await p.close();
    }
  });

  it("finishes a request in flight when it closes, and refuses new connections meanwhile", async () => {
    const p = await platform({ redisUrl: undefined });
    const events: string[] = [];
    const locker = await services.pool.connect();
    try {
      const { token } = await createClient({ url: p.url }).identity.signUp.mutate({
        username: "patient",
        email: "patient@dc.gg",
        password: "long-enough-pw",
      });
      const dc = createClient({ url: p.url, token });
      // Hold the request inside the database: its table is locked until we commit.
      await locker.query("begin");
      await locker.query("lock table notifications in access exclusive mode");
      const inFlight = dc.notifications.unreadCount.query().then((r) => {
        events.push("request answered");
        return r;
      });
      await waitFor(async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where application_name = 'deltacrown-api' and wait_event_type = 'Lock'`.execute(services.db);
        return rows[0]!.n > 0;
      });
      const closing = p.close().then(() => events.push("closed"));
      // The listener is gone (new connections refused) while the request is still running.
      await waitFor(async () =>
        fetch(`${p.url}/health`).then(
          () => false,
          () => true,
        ),
      );
      expect(events).toEqual([]);
      await locker.query("commit");
      await expect(inFlight).resolves.toEqual({ count: 0 });
      await closing;
      // Both finished; which promise the test sees settle first is the client's business.
      expect(events.sort()).toEqual(["closed", "request answered"]);
    } finally {
      await locker.query("rollback").catch(() => undefined);
      locker.release();
      await p.close();
    }
  });

  it("with Redis dead: /health and /health/ready 200, /health/detailed 503 naming Redis, cached reads served from the database", async () => {
    // A team to read, created while everything is up.
    const up = await platform({ redisUrl: undefined });
    let slug: string;
    try {
      const { token } = await createClient({ url: up.url }).identity.signUp.mutate({
        username: "steady",
        email: "steady@dc.gg",
        password: "long-enough-pw",
      });
      slug = (
        await createClient({ url: up.url, token }).teams.create.mutate({ name: "Steady Five", gameSlug: "valorant" })
      ).slug;
    } finally {
      await up.close();
    }

    const p = await platform({ redisUrl: `redis://127.0.0.1:${await findFreePort()}/1` });
    try {
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
      const h = await detailed(p.url);
      expect(h.code).toBe(503);
      expect(h.body.status).toBe("degraded");
      expect(h.body.checks.redis.status).toBe("down");
      expect(h.body.checks.redis.error).toBeTruthy();
      expect(h.body.checks.database.status).toBe("up");
      // Still ready: it serves without Redis (below), and one shared Redis failing readiness would
      // take every instance out of rotation at once. The body names Redis down.
      const ready = await fetch(`${p.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: "ready",
        checks: { database: { status: "up" }, redis: { status: "down" } },
      });

      const dc = createClient({ url: p.url });
      for (let i = 0; i < 2; i++) {
        await expect(dc.teams.bySlug.query({ slug })).resolves.toMatchObject({ slug, name: "Steady Five" });
        const games = await dc.games.list.query();
        expect(games.length).toBe(demoGames.length);
      }
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
    } finally {
      await p.close();
    }
  });
});
