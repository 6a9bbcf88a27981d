/*
 * `pnpm bench [--teams N] [--seconds S] [--scenario-calls N] [--save-baseline]` — a benchmark,
 * not a test. Seeds the bench dataset; measures every procedure in-process through its
 * query-budget scenario (scenario-bench.ts); measures the hot reads in a hot loop with the cache
 * on and off and over HTTP at 100 concurrent connections against the real server (cache on and
 * off), each next to the calibration servers; then issue 14's five endpoints at 50 connections
 * (endpoints-bench.ts) and wallet transfers next to pgbench TPC-B; prints the tables and writes
 * bench/results/*.json.
 * `pnpm bench:check` runs the same and compares it with bench/baseline.json (see compare.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { Db, PlanDatasetCounts } from "@deltacrown/db";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { BenchCase } from "./cases.ts";
import type { Comparison } from "./compare.ts";
import type { EndpointsResults } from "./endpoints-bench.ts";
import type { LoadRequest } from "./http-load.ts";
import type { BenchResults, HttpRecord, ProcedureResult } from "./results.ts";
import type { ServerUnderTest } from "./servers.ts";
import type { LatencyStats } from "./stats.ts";

const args = process.argv.slice(2);
const { values: opts } = parseCommand({
  name: args.includes("--check") ? "pnpm bench:check" : "pnpm bench",
  summary:
    "seed the bench dataset, time every procedure through its query-budget scenario and the hot reads (in-process and over HTTP, cache on and off), then issue 14's five endpoints and wallet transfers ÷ pgbench TPC-B, next to calibration servers",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 5_000, min: 100, integer: true },
    seconds: { type: "number", description: "seconds per HTTP measurement", default: 3, min: 0.1 },
    "in-process-seconds": { type: "number", description: "seconds per in-process measurement", default: 1, min: 0.1 },
    concurrency: { type: "number", description: "HTTP connections (hot reads)", default: 100, min: 1, integer: true },
    "endpoint-connections": {
      type: "number",
      description: "HTTP connections for issue 14's five endpoints (the Django comparison's wrk -c50)",
      default: 50,
      min: 1,
      integer: true,
    },
    "endpoint-processes": {
      type: "number",
      description:
        "API processes (WEB_CONCURRENCY) of the production server the five endpoints run on (default: one per core)",
      default: availableParallelism(),
      min: 1,
      integer: true,
    },
    "write-clients": {
      type: "number",
      description: "clients of wallet transfers next to pgbench TPC-B",
      default: 10,
      min: 1,
      integer: true,
    },
    "scenario-calls": {
      type: "number",
      description: "calls per procedure scenario",
      default: 30,
      min: 1,
      integer: true,
    },
    check: {
      type: "boolean",
      description: "compare with bench/baseline.json; exit 1 on a regression (pnpm bench:check)",
    },
    tolerance: {
      type: "number",
      description: "throughput drop (ratio) that counts as a regression",
      default: 0.1,
      min: 0,
    },
    retries: {
      type: "number",
      description: "re-measurements of a timing suspect before it counts",
      default: 2,
      min: 0,
      integer: true,
    },
    "save-baseline": { type: "boolean", description: "also write bench/baseline.json" },
  },
  env: {
    DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)",
    REDIS_URL: "the cache tier (unset: a private redis-server)",
  },
  exitCodes: { 1: "bench:check found a regression" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb } = await import("@deltacrown/db");
const { Cache } = await import("@deltacrown/domain");
const { benchCases, guessInputs, LATENCY_BUDGET_MS } = await import("./cases.ts");
const { compareResults } = await import("./compare.ts");
const { prettify } = await import("./format.ts");
const { prepareBenchDatabase, repoRoot } = await import("./dataset.ts");
const { formatEndpoints, measureEndpoints, prepareEndpoints } = await import("./endpoints-bench.ts");
const { runLoad, statsOf, trpcPath } = await import("./http-load.ts");
const { benchCaller, callPath, measureInProcess } = await import("./in-process.ts");
const { machineInfo } = await import("./results.ts");
const { measureScenarios } = await import("./scenario-bench.ts");
const { startPrivateRedis, startProduction, startServer } = await import("./servers.ts");
const { meanStats } = await import("./stats.ts");
const { formatTable } = await import("./table.ts");

const teams = opts.teams;
const httpSeconds = opts.seconds;
const warmupSeconds = 1;
const inProcessSeconds = opts["in-process-seconds"];
const concurrency = opts.concurrency;
const scenarioCalls = opts["scenario-calls"];
const checkMode = opts.check;
const tolerance = opts.tolerance;
/** Extra measurements of a procedure whose timing regressed, before the regression counts. */
const retries = opts.retries;
const out = (line: string) => process.stdout.write(`${line}\n`);

const commands = [
  `pnpm ${checkMode ? "bench:check" : "bench"}${args.filter((a) => a !== "--check").length ? " " + args.filter((a) => a !== "--check").join(" ") : ""}`,
  `# DATABASE_URL ${process.env.DATABASE_URL ? "set (a fresh database on its server)" : "unset (embedded Postgres)"}`,
];

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  out(`seeding ${teams} teams…`);
  // Every user gets a session: any team's owner can register it, any funded user can transfer.
  const database = await prepareBenchDatabase(teams, { sessions: teams * 5 }, out);
  out(
    `seeded ${database.counts.teams} teams, ${database.counts.users} users, ${database.counts.memberships} memberships, ` +
      `${database.counts.games} games, ${database.counts.organizations} organizations in ${database.seedSeconds.toFixed(1)} s (${database.server})`,
  );
  const db = createDb({ connectionString: database.url, max: 10, applicationName: "dc-bench" });
  const baseline = checkMode
    ? (JSON.parse(readFileSync(path.join(repoRoot, "bench/baseline.json"), "utf8")) as BenchResults)
    : undefined;
  try {
    const { cases, unknownQueries, skipped } = benchCases(database.counts);
    // Queries added after cases.ts was written: probe a few plausible inputs in-process.
    for (const q of unknownQueries) {
      const found = await probeInput(db, q, database.counts);
      if (found) cases.push(found);
      else
        skipped.push({
          path: q.path,
          reason:
            "no HTTP case: no input on the bench dataset (measured through its scenario above; add one in bench/src/cases.ts)",
        });
    }

    // Before any server starts (none may cache a board or a page from before it).
    const endpointData = await prepareEndpoints(db, database.url, database.counts);
    out(
      `endpoints: leaderboard of game-1, ${endpointData.tournaments} tournaments (${endpointData.open} open), ` +
        `${endpointData.registrations} registrations, ${endpointData.funded.length} funded wallets in ${endpointData.seconds.toFixed(1)} s`,
    );

    const procedures: ProcedureResult[] = [];
    for (const c of cases) {
      const result: ProcedureResult = {
        path: c.path,
        type: c.type,
        category: c.category,
        budgetQueries: c.budgetQueries,
        latencyBudgetMs: LATENCY_BUDGET_MS[c.category] ?? 100,
        note: c.note,
        inProcess: {},
      };
      try {
        result.inProcess.cached = await measureInProcess(db, c, true, inProcessSeconds, 0.3);
        if (c.type === "query") result.inProcess.uncached = await measureInProcess(db, c, false, inProcessSeconds, 0.3);
        procedures.push(result);
        out(
          `in-process ${c.path}: ${result.inProcess.cached.queries} queries/call, p50 ${result.inProcess.cached.p50} ms`,
        );
      } catch (error) {
        skipped.push({ path: c.path, reason: `failed in-process: ${(error as Error).message}` });
      }
    }

    // All servers run side by side (an idle one costs nothing) so each procedure is measured
    // cached and uncached back to back, and the calibration before and after: a neighbour's load
    // then moves both sides of every ratio alike.
    const servers = {
      "bare-select": await startServer("bare-select", database.url, teams),
      "bare-const": await startServer("bare-const", database.url, teams),
      "fastify-const": await startServer("fastify-const", database.url, teams),
      platform: await startServer("platform", database.url, teams),
      "platform-nocache": await startServer("platform-nocache", database.url, teams),
    };
    let calibration: BenchResults["calibration"];
    let endpoints: EndpointsResults | undefined;
    try {
      const before = await measureCalibration(servers);
      out(
        `calibration: bare-select ${before["bare-select"].rps} req/s, bare-const ${before["bare-const"].rps} req/s, fastify-const ${before["fastify-const"]?.rps} req/s`,
      );
      const byPath = new Map(cases.map((c) => [c.path, c]));
      const measured = procedures.filter((r) => r.type === "query");
      // The first case against a cold server pays for JIT, 100 new sockets and the pool filling up.
      for (const url of [servers.platform.url, servers["platform-nocache"].url]) {
        for (const p of measured.slice(0, 3)) await measureHttp(url, byPath.get(p.path)!, 1);
      }
      // Each procedure's bare-select "before" is the previous one's "after" (measured back to back
      // anyway): one calibration sample per procedure, not two, keeps the whole run short.
      let lastBareSelect: LatencyStats | undefined;
      const measureProcedure = async (c: BenchCase): Promise<HttpRecord> => {
        const before = lastBareSelect ?? (await measureBareSelect(servers["bare-select"].url));
        const cached = await measureHttp(servers.platform.url, c);
        const uncached = await measureHttp(servers["platform-nocache"].url, c);
        const after = await measureBareSelect(servers["bare-select"].url);
        lastBareSelect = after;
        out(
          `http ${c.path}: cached ${cached.rps} req/s p95 ${cached.p95} ms · uncached ${uncached.rps} req/s p95 ${uncached.p95} ms · bare select ${before.rps} → ${after.rps} req/s`,
        );
        return { bareSelect: meanStats(before, after), cached, uncached };
      };
      for (const p of measured) p.http = await measureProcedure(byPath.get(p.path)!);
      if (opts["save-baseline"]) {
        // A baseline is the bar for later runs: measure every read twice, the check takes the mean.
        out("second pass for the baseline…");
        for (const p of procedures.filter((x) => x.http)) {
          (p.httpRetries ??= []).push(await measureProcedure(byPath.get(p.path)!));
        }
      }
      if (baseline) {
        // A timing regression counts only if it reproduces: re-measure the suspects.
        for (let attempt = 1; attempt <= retries; attempt++) {
          const suspects = timingSuspects(compareResults(baseline, { procedures, calibration: before }, tolerance));
          if (suspects.length === 0) break;
          out(`re-measuring ${suspects.length} suspect(s), attempt ${attempt} of ${retries}: ${suspects.join(", ")}`);
          for (const p of procedures.filter((x) => suspects.includes(x.path))) {
            (p.httpRetries ??= []).push(await measureProcedure(byPath.get(p.path)!));
          }
        }
      }
      const after = await measureCalibration(servers);
      // Issue 14's five endpoints after the hot reads (registrations and transfers write), on the
      // production entry as an operator runs it: one API process per core (Django ran 2 workers).
      const redis = await startPrivateRedis();
      const production = await startProduction({
        databaseUrl: database.url,
        redisUrl: redis.url,
        processes: opts["endpoint-processes"],
      }).catch((error: unknown) => {
        redis.stop();
        throw error;
      });
      try {
        endpoints = await measureEndpoints(
          {
            db,
            databaseUrl: database.url,
            counts: database.counts,
            platformUrl: production.url,
            processes: opts["endpoint-processes"],
            calibration: {
              "bare-const": servers["bare-const"].url,
              "fastify-const": servers["fastify-const"].url,
              "bare-select": servers["bare-select"].url,
            },
            connections: opts["endpoint-connections"],
            seconds: httpSeconds,
            writeClients: opts["write-clients"],
            out,
          },
          endpointData,
        );
      } finally {
        await production.stop();
        redis.stop();
      }
      out(
        `calibration (after): bare-select ${after["bare-select"].rps} req/s, bare-const ${after["bare-const"].rps} req/s, fastify-const ${after["fastify-const"]?.rps} req/s`,
      );
      calibration = {
        "bare-select": meanStats(before["bare-select"], after["bare-select"]),
        "bare-const": meanStats(before["bare-const"], after["bare-const"]),
        "fastify-const": meanStats(before["fastify-const"]!, after["fastify-const"]!),
      };
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }

    // Last: the scenarios write thousands of rows (tournaments, teams, notifications) that the hot
    // reads above must not see, so those are measured on the seeded dataset as it is.
    out(`every procedure through its query-budget scenario (up to ${scenarioCalls} calls each)…`);
    const scenarios = await measureScenarios(db.db, {
      calls: scenarioCalls,
      minCalls: Math.min(5, scenarioCalls),
      maxSeconds: 3,
      warmupCalls: 2,
      onResult: (r) =>
        out(
          `scenario ${r.path}: ${r.queries} queries/call (test asserts ${r.expectedQueries}), p50 ${r.p50} ms, p95 ${r.p95} ms over ${r.count} calls` +
            (r.firstError ? `, ${r.errors} failed: ${r.firstError}` : ""),
        ),
    });

    const results: BenchResults = {
      version: 1,
      startedAt,
      commands,
      machine: machineInfo(),
      dataset: { ...database.counts, seedSeconds: Math.round(database.seedSeconds * 10) / 10, server: database.server },
      settings: { httpSeconds, warmupSeconds, concurrency, inProcessSeconds, scenarioCalls },
      calibration,
      scenarios,
      procedures,
      skipped,
      aims: [...aims(procedures, calibration["bare-select"]), ...issue14Aims(procedures, calibration, endpoints)],
      ...(endpoints ? { endpoints } : {}),
    };
    out("");
    out(formatTable(results));
    if (endpoints) {
      out("");
      out(formatEndpoints(endpoints));
    }
    const dir = path.join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    const json = `${JSON.stringify(results, null, 2)}\n`;
    writeFileSync(path.join(dir, `${startedAt.replace(/[:.]/g, "-")}.json`), json);
    writeFileSync(path.join(dir, "latest.json"), json);
    out(`\nwrote bench/results/latest.json`);
    if (opts["save-baseline"]) {
      const baselinePath = path.join(repoRoot, "bench/baseline.json");
      writeFileSync(baselinePath, await prettify(json, baselinePath));
      out("wrote bench/baseline.json");
    }
    if (!baseline) return 0;
    const comparison = compareResults(baseline, results, tolerance);
    for (const line of comparison.lines) out(line);
    out(
      comparison.regressions.length
        ? `\n${comparison.regressions.length} regression(s) beyond ${comparison.tolerancePct}% (timings: in every one of ${retries + 1} attempts)`
        : `\nno regression beyond ${comparison.tolerancePct}%`,
    );
    return comparison.regressions.length ? 1 : 0;
  } finally {
    await db.destroy();
    await database.drop();
  }
}

/** The procedures whose timing regressed (query-count regressions do not need a second look). */
function timingSuspects(comparison: Comparison): string[] {
  return [...new Set(comparison.regressions.filter((r) => r.timing).map((r) => r.path))];
}

async function measureBareSelect(baseUrl: string): Promise<LatencyStats> {
  const result = await runLoad({
    baseUrl,
    concurrency,
    seconds: Math.max(1, httpSeconds / 2),
    warmupSeconds: 0.5,
    next: () => ({ label: "bare-select", path: "/" }),
  });
  return statsOf(result, "bare-select");
}

async function measureCalibration(
  servers: Record<"bare-select" | "bare-const" | "fastify-const", ServerUnderTest>,
): Promise<BenchResults["calibration"]> {
  const one = async (name: "bare-select" | "bare-const" | "fastify-const") => {
    const result = await runLoad({
      baseUrl: servers[name].url,
      concurrency,
      seconds: httpSeconds,
      warmupSeconds,
      next: () => ({ label: name, path: "/" }),
    });
    return statsOf(result, name);
  };
  return {
    "bare-select": await one("bare-select"),
    "bare-const": await one("bare-const"),
    "fastify-const": await one("fastify-const"),
  };
}

async function measureHttp(baseUrl: string, c: BenchCase, seconds = httpSeconds): Promise<LatencyStats> {
  // Precomputed so building requests costs the generator nothing while it measures.
  const requests: LoadRequest[] = Array.from({ length: 1000 }, (_, i) => {
    const token = c.token(i);
    return {
      label: c.path,
      path: trpcPath(c.path, c.input(i)),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    };
  });
  let n = 0;
  const result = await runLoad({
    baseUrl,
    concurrency,
    seconds,
    warmupSeconds,
    next: () => requests[n++ % requests.length]!,
  });
  return statsOf(result, c.path);
}

async function probeInput(
  db: Db,
  q: Omit<BenchCase, "input" | "note">,
  counts: PlanDatasetCounts,
): Promise<BenchCase | undefined> {
  const cache = new Cache({ disabled: true });
  for (const input of guessInputs(counts)) {
    try {
      await callPath(
        benchCaller(db, cache, q.token(0), () => undefined),
        q.path,
        input,
      );
      // The probe's caller (user 1) is the one every call acts as: the input may need its rights.
      return {
        ...q,
        token: () => q.token(0),
        input: () => input,
        note: `probed input ${JSON.stringify(input) ?? "none"} as user 1`,
      };
    } catch {
      // try the next shape
    }
  }
  return undefined;
}

function aims(procedures: ProcedureResult[], globalBareSelect: LatencyStats): BenchResults["aims"] {
  const detail = procedures.find((p) => p.path === "teams.bySlug");
  const bareSelect = detail?.http?.bareSelect ?? globalBareSelect;
  if (!detail?.http?.uncached || !detail.http.cached || !detail.inProcess.uncached) return [];
  const uncachedShare = detail.http.uncached.rps / bareSelect.rps;
  const cachedGain = detail.http.cached.rps / detail.http.uncached.rps;
  return [
    {
      name: "team detail uncached / bare select server (throughput)",
      value: round2(uncachedShare),
      target: "≥ 0.5",
      met: uncachedShare >= 0.5,
    },
    {
      name: "team detail uncached queries per call",
      value: detail.inProcess.uncached.queries,
      target: "≤ 2",
      met: detail.inProcess.uncached.queries <= 2,
    },
    {
      name: "team detail cached / uncached (throughput)",
      value: round2(cachedGain),
      target: "≥ 3",
      met: cachedGain >= 3,
    },
  ];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The issue's Django/DRF figures (its table: gunicorn with 2 sync workers, Redis cache, the same
 * Postgres and data size, wrk -c50, on this machine kind; the middle of each range of 7 runs).
 * Measured outside the repository: the ratios below are to those figures, not to a Django run
 * of the same minutes — the calibration servers are what ties a run here to that one.
 */
const DJANGO_RPS: Record<string, number> = {
  "teams.bySlug": 310,
  "teams.search": 228,
  "rankings.leaderboard": 1_494,
  "registrations.register": 262,
  "wallets.transfer": 507,
};

/**
 * Issue 14's aims that `pnpm bench` measures: the five endpoints against the issue's Django
 * figures; the cached team page and the top-100 leaderboard ÷ the Fastify constant-JSON route and
 * the uncached team page ÷ the bare-select server (the hot reads: one process each, the same
 * connections); transfers ÷ pgbench TPC-B. Registration / match report p95 and CP decay have
 * their own benches (bench:tournaments, bench:rankings).
 */
function issue14Aims(
  procedures: ProcedureResult[],
  calibration: BenchResults["calibration"],
  endpoints: EndpointsResults | undefined,
): BenchResults["aims"] {
  const result: BenchResults["aims"] = [];
  for (const e of endpoints?.endpoints ?? []) {
    const django = DJANGO_RPS[e.path];
    if (!django) continue;
    const ratio = round2(e.stats.rps / django);
    result.push({ name: `${e.name} ÷ Django/DRF (${django} req/s)`, value: ratio, target: "≥ 5", met: ratio >= 5 });
  }
  const fastify = calibration["fastify-const"]?.rps;
  const http = (path: string) => procedures.find((p) => p.path === path)?.http;
  const detail = http("teams.bySlug");
  const board = http("rankings.leaderboard");
  if (fastify && detail?.cached) {
    const v = round2(detail.cached.rps / fastify);
    result.push({ name: "cached team page ÷ Fastify constant JSON", value: v, target: "≥ 0.5", met: v >= 0.5 });
  }
  if (detail?.uncached && detail.bareSelect) {
    const v = round2(detail.uncached.rps / detail.bareSelect.rps);
    result.push({ name: "uncached team page ÷ bare select", value: v, target: "≥ 0.5", met: v >= 0.5 });
  }
  if (fastify && board?.cached) {
    const v = round2(board.cached.rps / fastify);
    result.push({
      name: "cached top-100 leaderboard ÷ Fastify constant JSON",
      value: v,
      target: "≥ 0.5",
      met: v >= 0.5,
    });
  }
  const transfers = endpoints?.transfersVsPgbench;
  if (transfers)
    result.push({
      name: `wallet transfers ÷ pgbench TPC-B (${transfers.clients} clients, in-process)`,
      value: transfers.ratio,
      target: "≥ 0.5",
      met: transfers.ratio >= 0.5,
    });
  return result;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
}
