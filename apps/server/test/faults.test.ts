/**
 * The platform survives its own infrastructure failing (issue 12). Its own Postgres cluster (the
 * machine's binaries) and redis-server; the API and the worker as separate processes (their
 * production entry points) under a steady load of transfers and team creations and a reader.
 * Faults in turn: Postgres restart fast, Postgres restart immediate, the worker killed (-9) in the
 * middle of a job and started again, Redis restarted, the API killed (-9) and started again.
 * Then: no process exited on its own, reads answered again within 5 s of each fault, no call was
 * answered 500 (a lost database is a retryable 503 with Retry-After), every acknowledged write
 * exists exactly once with exactly one audit row, the queue drained within a minute of the
 * worker's return, and the books balance. Prints each fault's recovery time and the count of
 * acknowledged writes checked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { createClient, isApiError, withRetry, type DeltaCrownClient, type ErrorData } from "@deltacrown/client";
import { createDb, migrateToLatest, type Db } from "@deltacrown/db";
import { demoGames, findBalanceMismatches } from "@deltacrown/domain";
import { installOpenHandleCheck, waitFor } from "@deltacrown/test-harness";
import { startPgCluster, type PgCluster } from "@deltacrown/test-harness/pg-cluster";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess, type RunningProcess } from "./processes.support.ts";

installOpenHandleCheck();

const USERS = 4;
const MINTED_EACH = 100_000;
/** The bound the issue sets: reads answer again within 5 s of a fault. */
const READS_BACK_WITHIN_MS = 5000;
/** A killed worker's jobs run again once its silence passes this (production: 60 s). */
const WORKER_DEAD_AFTER_MS = 3000;

/**
 * A free port below the kernel's ephemeral range. A server restarted on a port inside that range
 * can find it taken: a client retrying a connection to the dead port may be given that very port
 * as its own source port and connect to itself (TCP simultaneous open), and the restart fails
 * with EADDRINUSE.
 */
async function stablePort(): Promise<number> {
  const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  const top = Math.min(low ?? 32768, 32768) - 1;
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (top - 10_000));
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** A redis-server on a fixed port, so it can be restarted where the API expects it. */
function redisOn(port: number) {
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("Ready to accept connections")) resolve();
      });
      child!.once("exit", (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
    });
    child.stdout!.resume();
  };
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

interface Read {
  started: number;
  ended: number;
  ok: boolean;
}

interface AckedTransfer {
  fromUserId: number;
  key: string;
  transactionId: number;
}

describe("faults: Postgres restarts, a killed worker, a Redis restart, a killed API", () => {
  let cluster: PgCluster;
  let redis: ReturnType<typeof redisOn>;
  let db: Db;

  beforeAll(async () => {
    cluster = await startPgCluster();
    redis = redisOn(await stablePort());
    await redis.start();
    await migrateToLatest({ connectionString: cluster.url });
    db = createDb({ connectionString: cluster.url, max: 2, applicationName: "fault-test" });
    await db.db.insertInto("games").values(demoGames).execute();
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await redis?.stop();
    cluster?.destroy();
  }, 60_000);

  it("keeps serving, loses nothing acknowledged, and the books balance", async () => {
    const apiPort = await stablePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env = { ...process.env, DATABASE_URL: cluster.url, REDIS_URL: redis.url, NO_COLOR: "1" };
    const apiEnv = {
      ...env,
      HOST: "127.0.0.1",
      PORT: String(apiPort),
      LOG_LEVEL: "info",
      SCRYPT_COST: "1024",
      CONTRACT_MODE: "warn",
      RATE_LIMITS: "off",
      DB_POOL_MAX: "4",
    };
    const workerEnv = {
      ...env,
      WORKER_CONCURRENCY: "2",
      WORKER_HEARTBEAT_MS: "500",
      WORKER_DEAD_AFTER_MS: String(WORKER_DEAD_AFTER_MS),
      LOG_LEVEL: "info",
    };
    // Every generation of each process; those this test killed are marked.
    const processes: { name: string; proc: RunningProcess; killedByTest: boolean }[] = [];
    const startApi = async () => {
      const proc = startProcess("apps/server/src/main.ts", apiEnv, { singleProcess: true });
      processes.push({ name: "api", proc, killedByTest: false });
      await proc
        .waitForLine((l) => l.msg === "DeltaCrown API listening")
        .catch((error: unknown) => {
          throw new Error(`${String(error)}\n${proc.lines.map((l) => JSON.stringify(l)).join("\n")}`);
        });
      return proc;
    };
    const startWorkerProcess = async () => {
      const proc = startProcess("apps/worker/src/main.ts", workerEnv, { singleProcess: true });
      processes.push({ name: "worker", proc, killedByTest: false });
      await proc.waitForLine((l) => l.msg === "worker started");
      return proc;
    };
    const kill9 = async (proc: RunningProcess) => {
      processes.find((p) => p.proc === proc)!.killedByTest = true;
      proc.child.kill("SIGKILL");
      await proc.exited;
    };
    /** Per worker generation: the pools it ran, its runner restarts and the locks its reaper released. */
    const workerPools = () =>
      processes
        .filter((p) => p.name === "worker")
        .map(({ proc }) =>
          proc.lines
            .filter((l) => /pool|released|stopped on its own/.test(String(l.msg)))
            .map((l) => `${String(l.msg)} ${JSON.stringify(l.poolId ?? l.pools ?? l.workers ?? "")}`),
        );
    // The worker first: it owns graphile-worker's schema migrations.
    let worker = await startWorkerProcess();
    let api = await startApi();

    // Every answer the load sees: a 5xx must be a 503 that says when to come back.
    const fiveHundreds: { status: number; retryAfter: string | null }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status >= 500)
        fiveHundreds.push({ status: response.status, retryAfter: response.headers.get("retry-after") });
      return response;
    };
    const clientFor = (token?: string) => createClient({ url: apiUrl, token, fetch: recordingFetch });

    // --- players, funded before the faults --------------------------------------------------------
    const players: { id: number; username: string; client: DeltaCrownClient }[] = [];
    for (let i = 0; i < USERS; i++) {
      const username = `fault_p${i}`;
      const { token, user } = await clientFor().identity.signUp.mutate({
        username,
        email: `${username}@faults.dc`,
        password: "long-enough-pw",
      });
      players.push({ id: user.id, username, client: clientFor(token) });
    }
    await db.db.updateTable("users").set({ is_staff: true }).where("id", "=", players[0]!.id).execute();
    for (const p of players)
      await players[0]!.client.wallets.mint.mutate({ username: p.username, amount: MINTED_EACH, reason: "fault test" });

    // --- steady load ---------------------------------------------------------------------------
    const acked: AckedTransfer[] = [];
    const sentKeys = new Set<string>();
    const ackedTeams: { id: number; name: string }[] = [];
    const errorCodes = new Map<string, number>();
    const reads: Read[] = [];
    let loading = true;
    const noteError = (error: unknown) => {
      const data = isApiError(error) ? (error.data as ErrorData | undefined) : undefined;
      const code = isApiError(error) ? (data?.code ?? "NO_RESPONSE") : "OTHER";
      errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
      if (data?.code === "SERVICE_UNAVAILABLE") {
        expect(data.retryable).toBe(true);
        expect(data.retryAfter).toBeGreaterThan(0);
      }
    };
    const pause = () => new Promise((r) => setTimeout(r, 15));
    const transfers = async (from: number) => {
      const sender = players[from]!;
      for (let n = 0; loading; n++) {
        const key = randomUUID();
        sentKeys.add(key);
        const to = players[(from + 1 + (n % (USERS - 1))) % USERS]!;
        try {
          const result = await withRetry(
            { kind: "mutation", idempotencyKey: key },
            () => sender.client.wallets.transfer.mutate({ to: to.username, amount: 1 + (n % 3), idempotencyKey: key }),
            { attempts: 40, baseDelayMs: 100, maxDelayMs: 1000, onRetry: noteError },
          );
          acked.push({ fromUserId: sender.id, key, transactionId: result.transactionId });
        } catch (error) {
          noteError(error);
        }
        await pause();
      }
    };
    const teams = async () => {
      const owner = players[1]!;
      for (let n = 0; loading; n++) {
        const name = `Fault Crown ${n}`;
        try {
          // No idempotency key: never retried (the first attempt may have committed).
          const team = await owner.client.teams.create.mutate({ name, gameSlug: "valorant" });
          ackedTeams.push({ id: team.id, name });
        } catch (error) {
          noteError(error);
        }
        await pause();
      }
    };
    const reader = async () => {
      const who = players[2]!;
      while (loading) {
        const started = Date.now();
        const ok = await who.client.wallets.balance.query().then(
          () => true,
          (error: unknown) => {
            noteError(error);
            return false;
          },
        );
        reads.push({ started, ended: Date.now(), ok });
        await pause();
      }
    };
    const load = Promise.all([transfers(0), transfers(1), transfers(3), teams(), reader()]);

    /** Ms from `since` until a read that started after it succeeded. */
    const readsBackAfter = (since: number) =>
      waitFor(
        () => {
          const read = reads.find((r) => r.started >= since && r.ok);
          return read ? read.ended - since : undefined;
        },
        { timeoutMs: 60_000 },
      );
    const settle = () => waitFor(() => acked.length > 0 && reads.some((r) => r.ok && r.started > Date.now() - 500));
    /**
     * faultMs: from the injection until the server is back (Postgres, Redis) or the killed process
     * runs again (restarting a killed process is a supervisor's part, not the service's);
     * readsBackMs: from then until a read answered. The bound: reads answer within 5 s of the
     * fault — of its start for a server restart, of the process's return for a kill.
     */
    const recoveries: { fault: string; faultMs: number; readsBackMs: number; boundFromStart: boolean }[] = [];
    const measure = async (fault: string, inject: () => Promise<void>, boundFromStart = true) => {
      await settle();
      const before = acked.length;
      const t0 = Date.now();
      await inject();
      const back = Date.now();
      const readsBackMs = await readsBackAfter(back);
      recoveries.push({ fault, faultMs: back - t0, readsBackMs, boundFromStart });
      // The load goes on after each fault: writes are acknowledged again.
      await waitFor(() => acked.length > before + 3, { timeoutMs: 30_000 });
    };

    // --- the faults, in turn -------------------------------------------------------------------
    await measure("postgres restart -m fast", () => cluster.restart("fast"));
    await measure("postgres restart -m immediate", () => cluster.restart("immediate"));

    // The lost connections were handled, logged and counted (the API answered throughout).
    const metricsText = await (await fetch(`${apiUrl}/metrics`)).text();
    const counted = [...metricsText.matchAll(/^dc_db_connection_errors_total\{[^}]*pool="api"[^}]*\} (\d+)/gm)];
    expect(counted.reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThan(0);
    expect(api.lines.some((l) => l.msg === "database connection error: calls fail as retryable until it is back")).toBe(
      true,
    );

    let workerBackAt = 0;
    const midJobKey = `fault-mid-job-${randomUUID()}`;
    let midJobId = "";
    await measure(
      "worker kill -9 mid-job (then restart)",
      async () => {
        // A job that cannot finish: its audit row's key is held by an open transaction, so the
        // worker's insert waits on it. Kill the worker while it waits.
        const blocker = new pg.Client({ connectionString: cluster.url });
        blocker.on("error", () => undefined);
        await blocker.connect();
        await blocker.query("begin");
        await blocker.query(
          "insert into audit_log (actor_id, action, entity_type, entity_id, dedup_key) values (null, 'fault.blocker', 'fault', '0', $1)",
          [midJobKey],
        );
        const { rows: added } = await sql<{
          id: string;
        }>`select id from graphile_worker.add_job('audit/write', ${JSON.stringify({
          actorId: null,
          action: "fault.mid-job",
          entityType: "fault",
          entityId: "1",
          key: midJobKey,
        })}::json)`.execute(db.db);
        midJobId = added[0]!.id;
        await waitFor(
          async () => {
            const { rows } = await sql<{ waiting: boolean }>`select exists (
              select 1 from graphile_worker.jobs j
               where j.task_identifier = 'audit/write' and j.locked_by is not null
                 and exists (select 1 from pg_locks l where not l.granted)) as waiting`.execute(db.db);
            return rows[0]?.waiting;
          },
          { timeoutMs: 30_000 },
        );
        await kill9(worker);
        await blocker.query("rollback");
        await blocker.end();
        worker = await startWorkerProcess();
        workerBackAt = Date.now();
      },
      false,
    );
    // The dead worker's lock is released (its heartbeat went silent) and the job runs again —
    // to completion this time (graphile-worker alone would leave it locked for 4 hours).
    const midJobDoneMs = await waitFor(
      async () => {
        const { rows } = await sql<{
          n: number;
        }>`select count(*)::int as n from graphile_worker.jobs where id = ${midJobId}`.execute(db.db);
        return rows[0]!.n === 0 ? Date.now() - workerBackAt : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    ).catch(async (error: unknown) => {
      // Say where the job is stuck (its lock, its error, the heartbeats the reaper judges by).
      const { rows: job } = await sql`select id, attempts, run_at, locked_by, locked_at, last_error
          from graphile_worker.jobs where id = ${midJobId}`.execute(db.db);
      const { rows: beats } =
        await sql`select worker_id, pool_id, beat_at, now() as now from worker_heartbeats`.execute(db.db);
      throw new Error(
        `${String(error)}; job: ${JSON.stringify(job)}; heartbeats: ${JSON.stringify(beats)}\nworkers: ${JSON.stringify(workerPools(), null, 2)}`,
      );
    });

    await measure("redis restart", async () => {
      await redis.stop();
      await redis.start();
    });
    await measure(
      "api kill -9 (then restart)",
      async () => {
        await kill9(api);
        api = await startApi();
      },
      false,
    );

    loading = false;
    await load;
    const loadEnded = Date.now();

    // --- the queue drains within a minute of the worker's return (and of the load's end) ----------
    const drainedMs = await waitFor(
      async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from graphile_worker.jobs
            where task_identifier = 'audit/write'`.execute(db.db);
        return rows[0]!.n === 0 ? Date.now() - loadEnded : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    ).catch(async (error: unknown) => {
      // Say what is left, and why, rather than only that the wait ran out.
      const { rows } = await sql`select id, attempts, run_at, locked_by, locked_at, last_error
          from graphile_worker.jobs where task_identifier = 'audit/write' limit 5`.execute(db.db);
      throw new Error(`${String(error)}; jobs left: ${JSON.stringify(rows)}`);
    });

    // --- no process exited on its own ------------------------------------------------------------
    for (const { name, proc, killedByTest } of processes) {
      if (killedByTest) expect(proc.child.signalCode, `${name} was killed by the test`).toBe("SIGKILL");
      else
        expect({ name, exit: proc.child.exitCode, signal: proc.child.signalCode }).toEqual({
          name,
          exit: null,
          signal: null,
        });
    }

    // --- every acknowledged write exists exactly once with exactly one audit row ----------------
    const keys = await db.db
      .selectFrom("wallet_idempotency_keys")
      .select(["user_id", "key", "transaction_id", "status"])
      .execute();
    const byKey = new Map(keys.map((k) => [`${k.user_id}:${k.key}`, k]));
    for (const a of acked) {
      const stored = byKey.get(`${a.fromUserId}:${a.key}`);
      expect(stored, `acknowledged transfer ${a.key}`).toMatchObject({
        status: "completed",
        transaction_id: a.transactionId,
      });
    }
    // None the client never sent; one transaction per key.
    for (const k of keys) expect(sentKeys.has(k.key), `a transfer nobody sent: ${k.key}`).toBe(true);
    const { rows: transferCount } = await sql<{ n: number; distinct_tx: number }>`
      select count(*)::int as n, (select count(distinct transaction_id)::int from wallet_idempotency_keys) as distinct_tx
        from wallet_transactions where kind = 'transfer'`.execute(db.db);
    expect(transferCount[0]!.n).toBe(transferCount[0]!.distinct_tx);
    expect(transferCount[0]!.n).toBe(keys.length);
    // Every money movement (mints and transfers) has exactly one audit row.
    const { rows: unaudited } = await sql<{ id: number; n: number }>`
      select t.id, (select count(*)::int from audit_log a where a.dedup_key = 'wallet_transaction:' || t.id) as n
        from wallet_transactions t
       where (select count(*) from audit_log a where a.dedup_key = 'wallet_transaction:' || t.id) <> 1`.execute(db.db);
    expect(unaudited).toEqual([]);

    const { rows: teamRows } = await sql<{ id: number; name: string; teams: number; audits: number }>`
      select t.id, t.name,
             (select count(*)::int from teams x where x.name = t.name) as teams,
             (select count(*)::int from audit_log a where a.action = 'team.created' and a.entity_id = t.id::text) as audits
        from teams t where t.id = any(${ackedTeams.map((t) => t.id)}::int[])`.execute(db.db);
    expect(teamRows).toHaveLength(ackedTeams.length);
    for (const t of teamRows)
      expect({ team: t.name, teams: t.teams, audits: t.audits }).toEqual({ team: t.name, teams: 1, audits: 1 });
    const { rows: midJob } = await sql<{
      action: string;
    }>`select action from audit_log where dedup_key = ${midJobKey}`.execute(db.db);
    expect(midJob).toEqual([{ action: "fault.mid-job" }]);

    // --- the books balance --------------------------------------------------------------------------
    expect(await findBalanceMismatches(db.db)).toEqual([]);
    const { rows: books } = await sql<{ users: number; all: number; unbalanced: number }>`
      select (select coalesce(sum(balance), 0)::bigint from wallets where kind = 'user') as users,
             (select coalesce(sum(balance), 0)::bigint from wallets) as all,
             (select count(*)::int from (select transaction_id from wallet_entries group by 1 having sum(amount) <> 0) u) as unbalanced`.execute(
      db.db,
    );
    expect(Number(books[0]!.users)).toBe(USERS * MINTED_EACH);
    expect(Number(books[0]!.all)).toBe(0);
    expect(books[0]!.unbalanced).toBe(0);

    // --- a lost database is a retryable 503, never a 500 -------------------------------------------
    expect(errorCodes.get("INTERNAL_SERVER_ERROR") ?? 0).toBe(0);
    for (const r of fiveHundreds) expect(r).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });

    const summary = {
      recoveries,
      midJobRerunAfterWorkerBackMs: midJobDoneMs,
      queueDrainedAfterLoadMs: drainedMs,
      acknowledgedWritesChecked: {
        transfers: acked.length,
        teams: ackedTeams.length,
        total: acked.length + ackedTeams.length,
      },
      reads: reads.length,
      errorsSeenByClients: Object.fromEntries(errorCodes),
      responses5xx: fiveHundreds.length,
      // Per worker generation: the pools it ran and the locks its reaper released.
      workers: workerPools(),
    };
    process.stdout.write(`\nfault test summary ${JSON.stringify(summary, null, 2)}\n`);
    for (const r of recoveries)
      expect(r.readsBackMs + (r.boundFromStart ? r.faultMs : 0), r.fault).toBeLessThanOrEqual(READS_BACK_WITHIN_MS);
    expect(midJobDoneMs).toBeLessThan(60_000);

    expect(await api.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  }, 300_000);
});
