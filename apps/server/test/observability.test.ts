/**
 * What an operator's Prometheus and log shipper see, end to end: the real API and the real worker
 * (their production entry points, as processes) over this file's database and Redis. After real
 * calls — sign-ups, a team, a registration, a transfer, a live notification, a statement held
 * over 1 s, a job that fails to its last attempt, a job no worker takes — every metric the
 * contract's alerts and the Grafana dashboard name exists on one of the two /metrics, the ones
 * the calls drive have moved, and both processes wrote only lines of the one log format.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { createClient } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { LOG_LINE_FIELDS } from "@deltacrown/ops-kit";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { collect, SSE, liveClient } from "./live.support.ts";
import { repoRoot, startProcess, type RunningProcess } from "./processes.support.ts";

installOpenHandleCheck();

/** Sample values by series ("name{labels}") and every metric name declared by a TYPE line. */
interface Scrape {
  text: string;
  types: Set<string>;
  samples: Map<string, number>;
}

async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(url)).text();
  const types = new Set<string>();
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) types.add(type[1]!);
    else if (line && !line.startsWith("#")) {
      const space = line.lastIndexOf(" ");
      samples.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
  }
  return { text, types, samples };
}

/** Sum of the samples of `name` whose labels contain every `key="value"` given. */
function total(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of s.samples) {
    const brace = series.indexOf("{");
    if ((brace < 0 ? series : series.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

/** Metric names a PromQL expression reads. */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:dc|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);
}

function exported(name: string, scrapes: Scrape[]): boolean {
  const base = name.replace(/_(bucket|count|sum)$/, "");
  return scrapes.some(
    (s) =>
      s.types.has(name) ||
      s.types.has(base) ||
      [...s.samples.keys()].some((k) => k.startsWith(`${name}{`) || k === name),
  );
}

describe("metrics and logs of the running API and worker", () => {
  const services = useTestServices();
  let api: RunningProcess;
  let worker: RunningProcess;
  let apiUrl: string;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const env = {
      ...process.env,
      DATABASE_URL: services.url,
      REDIS_URL: services.redisUrl,
      NO_COLOR: "1",
    };
    api = startProcess("apps/server/src/main.ts", {
      ...env,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "debug",
      SCRYPT_COST: "1024",
      CONTRACT_MODE: "warn",
      DB_POOL_MAX: "4",
    });
    worker = startProcess("apps/worker/src/main.ts", {
      ...env,
      WORKER_METRICS_PORT: "0",
      WORKER_HEARTBEAT_MS: "500",
      WORKER_CONCURRENCY: "2",
      LOG_LEVEL: "info",
    });
    const [listening, started] = await Promise.all([
      api.waitForLine((l) => l.msg === "DeltaCrown API listening"),
      worker.waitForLine((l) => l.msg === "worker started"),
    ]);
    apiUrl = listening.url as string;
    workerMetricsUrl = `http://127.0.0.1:${started.metricsPort as number}/metrics`;
  }, 240_000);

  afterAll(async () => {
    expect(await api?.stop()).toBe(0);
    expect(await worker?.stop()).toBe(0);
  }, 60_000);

  it("exports every metric the alerts and the dashboard name, and the calls move them", async () => {
    // --- real calls -----------------------------------------------------------------------
    const signUp = async (username: string) => {
      const { token } = await createClient({ url: apiUrl }).identity.signUp.mutate({
        username,
        email: `${username}@obs.dc`,
        password: "long-enough-pw",
      });
      return { token, client: createClient({ url: apiUrl, token }) };
    };
    const alice = await signUp("obs_alice");
    const bruno = await signUp("obs_bruno");
    await services.db.updateTable("users").set({ is_staff: true }).where("username", "=", "obs_alice").execute();

    const team = await alice.client.teams.create.mutate({ name: "Observed Crown", gameSlug: "valorant" });
    await alice.client.teams.bySlug.query({ slug: team.slug });
    await alice.client.teams.bySlug.query({ slug: team.slug });
    await alice.client.teams.mine.query();

    await alice.client.wallets.mint.mutate({ username: "obs_alice", amount: 500, reason: "observability test" });
    await alice.client.wallets.transfer.mutate({ to: "obs_bruno", amount: 5, idempotencyKey: "obs-transfer-1" });

    const now = Date.now();
    const tournament = await bruno.client.tournaments.create.mutate({
      name: "Observed Open",
      gameSlug: "valorant",
      format: "single_elimination",
      participantType: "team",
      capacity: 8,
      teamSize: 1,
      tier: "minor",
      registrationOpensAt: new Date(now - 60_000),
      registrationClosesAt: new Date(now + 3_600_000),
      startsAt: new Date(now + 7_200_000),
    });
    await bruno.client.tournaments.publish.mutate({ slug: tournament.slug });
    await bruno.client.tournaments.openRegistration.mutate({ slug: tournament.slug });
    const registration = await alice.client.registrations.register.mutate({
      tournamentSlug: tournament.slug,
      teamSlug: team.slug,
      fields: {},
    });

    // A live notification: bruno listens, alice invites him.
    const live = liveClient(apiUrl, SSE, bruno.token);
    const stream = collect((h) => live.live.notifications.subscribe({}, h));
    try {
      await waitFor(() => stream.started);
      await alice.client.invites.send.mutate({ teamSlug: team.slug, username: "obs_bruno", role: "player" });
      await waitFor(() => stream.events.some((e) => e.type === "notification.created"));
    } finally {
      stream.stop();
    }

    // A statement held over 1 s: the notifications table is locked while a call reads it.
    const locker = await services.pool.connect();
    let slowCall: Promise<unknown>;
    try {
      await locker.query("begin");
      await locker.query("lock table notifications in access exclusive mode");
      slowCall = bruno.client.notifications.unreadCount.query();
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where application_name = 'deltacrown-api' and wait_event_type = 'Lock'
              and now() - query_start > interval '1200 milliseconds'`.execute(services.db);
          return rows[0]!.n > 0;
        },
        { timeoutMs: 20_000 },
      );
    } finally {
      await locker.query("commit");
      locker.release();
    }
    await slowCall;

    // A job that fails twice (its last attempt), and one no worker takes (the queue's backlog).
    await sql`select graphile_worker.add_job('rankings/leaderboard', json_build_object('gameId', -1), max_attempts => 2)`.execute(
      services.db,
    );
    await sql`select graphile_worker.add_job('ops/no-worker-runs-this', '{}'::json)`.execute(services.db);

    // --- the scrapes --------------------------------------------------------------------------
    const fromWorker = await waitFor(
      async () => {
        const s = await scrape(workerMetricsUrl);
        return total(s, "dc_job_dead_total", { task: "rankings/leaderboard" }) >= 1 ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const fromApi = await waitFor(
      async () => {
        const s = await scrape(`${apiUrl}/metrics`);
        return total(s, "dc_job_queue_backlog") >= 1 && total(s, "dc_live_fanout_seconds_count") >= 1 ? s : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // Every metric named by an alert rule or a dashboard panel is exported by the API or the worker.
    const alertExprs = (
      parse(readFileSync(path.join(repoRoot, "ops/prometheus/alerts.yml"), "utf8")) as {
        groups: { rules: { expr: string }[] }[];
      }
    ).groups.flatMap((g) => g.rules.map((r) => r.expr));
    const dashboard = JSON.parse(readFileSync(path.join(repoRoot, "ops/grafana/deltacrown.json"), "utf8")) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const panelExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(panelExprs.length).toBeGreaterThan(30);
    const named = new Set([...alertExprs, ...panelExprs].flatMap(metricNames));
    expect(named.size).toBeGreaterThan(25);
    const missing = [...named].filter((name) => !exported(name, [fromApi, fromWorker]));
    expect(missing, "named in ops/ but exported by neither process").toEqual([]);

    // The ones these calls drive have moved.
    expect(total(fromApi, "dc_procedure_duration_seconds_count", { path: "teams.create", category: "write" })).toBe(1);
    expect(total(fromApi, "dc_procedure_errors_total")).toBe(0);
    expect(total(fromApi, "dc_teams_created_total")).toBe(1);
    expect(total(fromApi, "dc_registrations_total", { status: registration.status })).toBe(1);
    expect(total(fromApi, "dc_wallet_transfers_total")).toBe(1);
    expect(total(fromApi, "dc_cache_requests_total", { family: "teamDetail", result: "hit" })).toBeGreaterThanOrEqual(
      1,
    );
    expect(total(fromApi, "dc_cache_requests_total", { family: "teamDetail", result: "miss" })).toBeGreaterThanOrEqual(
      1,
    );
    expect(total(fromApi, "dc_live_fanout_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(total(fromApi, "dc_db_query_duration_seconds_count", { source: "procedure" })).toBeGreaterThan(20);
    expect(total(fromApi, "dc_db_slow_queries_total", { scope: "notifications.unreadCount" })).toBe(1);
    expect(total(fromApi, "dc_db_pool_size", { pool: "api" })).toBeGreaterThanOrEqual(1);
    expect(total(fromApi, "dc_db_pool_max", { pool: "api" })).toBe(4);
    expect(total(fromApi, "dc_dependency_up", { dependency: "database" })).toBe(1);
    expect(total(fromApi, "dc_dependency_up", { dependency: "redis" })).toBe(1);
    expect(total(fromApi, "dc_workers_alive")).toBe(1);
    expect(total(fromApi, "dc_job_queue_backlog")).toBeGreaterThanOrEqual(1);
    expect(total(fromApi, "dc_job_queue_oldest_age_seconds")).toBeGreaterThan(0);
    for (const declared of ["dc_rate_limit_refusals_total", "dc_budget_violations_total", "dc_cache_errors_total"])
      expect(fromApi.types.has(declared), declared).toBe(true);

    expect(total(fromWorker, "dc_job_failures_total", { task: "rankings/leaderboard" })).toBe(2);
    expect(total(fromWorker, "dc_job_retries_total", { task: "rankings/leaderboard" })).toBe(1);
    expect(total(fromWorker, "dc_job_dead_total", { task: "rankings/leaderboard" })).toBe(1);
    expect(
      total(fromWorker, "dc_job_duration_seconds_count", { task: "audit/write", outcome: "ok" }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(fromWorker, "dc_db_query_duration_seconds_count", { source: "job" })).toBeGreaterThanOrEqual(1);
    expect(total(fromWorker, "dc_db_pool_size", { pool: "worker" })).toBeGreaterThanOrEqual(1);
    expect(total(fromWorker, "dc_job_queue_backlog")).toBeGreaterThanOrEqual(1);
    expect(fromWorker.types.has("dc_job_budget_violations_total")).toBe(true);

    await sql`delete from graphile_worker._private_jobs`.execute(services.db);
  }, 240_000);

  it("wrote only lines of the one log format, request lines with their request id", async () => {
    const slow = await api.waitForLine((l) => l.msg === "slow query");
    expect(slow).toMatchObject({ level: "warn", scope: "notifications.unreadCount", requestId: expect.any(String) });
    expect(
      api.lines.some((l) => l.msg === "procedure" && l.path === "teams.create" && l.queries === 5 && l.requestId),
    ).toBe(true);
    const failed = await worker.waitForLine((l) => l.level === "error" && l.task === "rankings/leaderboard");
    expect(failed.msg).toContain("invalid payload: gameId");
    expect(failed).not.toHaveProperty("job");
    for (const [service, proc] of [
      ["api", api],
      ["worker", worker],
    ] as const) {
      expect(proc.lines.length).toBeGreaterThan(1);
      for (const line of proc.lines) {
        for (const field of LOG_LINE_FIELDS) expect(line, `${service}: ${JSON.stringify(line)}`).toHaveProperty(field);
        expect(line.service).toBe(service);
        expect(new Date(line.time as string).toISOString()).toBe(line.time);
      }
    }
    for (const line of api.lines.filter((l) => l.msg === "request"))
      expect(line).toMatchObject({
        requestId: expect.any(String),
        method: expect.any(String),
        statusCode: expect.any(Number),
      });
  });
});
