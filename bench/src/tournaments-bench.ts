/*
 * `pnpm bench:tournaments [--teams N] [--seconds S] [--in-process-seconds S]` — issue 5's benchmark.
 * Seeds the bench dataset plus 1,000 tournaments and 50,000 registrations (tournament-dataset.ts)
 * in a fresh database on DATABASE_URL's server (embedded Postgres when unset), starts the
 * match-benchmark tournaments through `tournaments.start`, then measures registration and match
 * report POSTs at 1 and 10 clients (in-process and over HTTP) and discovery at 100 connections
 * over HTTP, next to the calibration servers. Prints a table, writes
 * bench/results/tournaments-latest.json and the "Tournaments" section of docs/performance.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@deltacrown/db";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { LoadRequest } from "./http-load.ts";
import type { PlannedCall } from "./in-process-load.ts";
import type { ServerUnderTest } from "./servers.ts";
import type { LatencyStats } from "./stats.ts";
import type { ReadyMatch } from "./tournament-inputs.ts";
import type { TournamentCaseResult, TournamentsBenchResults } from "./tournaments-report.ts";

const args = process.argv.slice(2);
const { values: opts } = parseCommand({
  name: "pnpm bench:tournaments",
  summary:
    "registration and match report at 1 and 10 clients and discovery at 100, on the bench dataset plus 1,000 tournaments, next to the calibration servers",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 10_000, min: 1, integer: true },
    seconds: { type: "number", description: "seconds per HTTP measurement", default: 3, min: 0.1 },
    "in-process-seconds": { type: "number", description: "seconds per in-process measurement", default: 2, min: 0.1 },
  },
  env: {
    DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)",
    REDIS_URL: "the cache tier",
  },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { machineInfo } = await import("./results.ts");
const { budgets } = await import("@deltacrown/api");
const { createDb } = await import("@deltacrown/db");
const { Cache } = await import("@deltacrown/domain");
const { default: pg } = await import("pg");
const { tokenOf } = await import("./cases.ts");
const { prepareBenchDatabase, repoRoot } = await import("./dataset.ts");
const { prettify } = await import("./format.ts");
const { runLoad, statsOf, trpcPath } = await import("./http-load.ts");
const { benchCaller, callPath } = await import("./in-process.ts");
const { loadInProcess } = await import("./in-process-load.ts");
const { startServer } = await import("./servers.ts");
const { meanStats } = await import("./stats.ts");
const { DEFAULT_TOURNAMENT_SIZE, registrationInputs, seedTournamentDataset } = await import("./tournament-dataset.ts");
const { cursor, planRegistrations, planReports } = await import("./tournament-inputs.ts");
const { renderTournamentsSection, spliceSection, tournamentAims } = await import("./tournaments-report.ts");

const teams = opts.teams;
const seconds = opts.seconds;
const inProcessSeconds = opts["in-process-seconds"];
const warmupSeconds = 1;
const out = (line: string) => process.stdout.write(`${line}\n`);
const budgetOf = (p: string) => (budgets as Record<string, { maxQueries: number }>)[p]?.maxQueries ?? Number.NaN;

const commands = [
  `pnpm bench:tournaments${args.length ? ` ${args.join(" ")}` : ""}`,
  `# DATABASE_URL ${process.env.DATABASE_URL ? "set (a fresh database on its server)" : "unset (embedded Postgres)"}`,
];

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  out(`seeding ${teams} teams…`);
  // Every user gets a session: any team's owner can then register it or report its matches.
  const database = await prepareBenchDatabase(teams, { sessions: teams * 5 }, out);
  const db = createDb({ connectionString: database.url, max: 10, applicationName: "dc-bench" });
  const servers: ServerUnderTest[] = [];
  try {
    const tdata = await seedTournamentDataset(database.url, database.counts, DEFAULT_TOURNAMENT_SIZE);
    out(
      `seeded ${database.counts.teams} teams in ${database.seedSeconds.toFixed(1)} s; ${tdata.tournaments} tournaments, ` +
        `${tdata.registrations} registrations in ${tdata.seedSeconds.toFixed(1)} s (${database.server})`,
    );
    const explain = await explainRegistrationRead(db, database.url);
    out(
      `EXPLAIN registrations.list: ${explain.scans.map((x) => `${x.node}${x.relation === "(bitmap)" ? "" : ` on ${x.relation}`}${x.index ? ` using ${x.index}` : ""}`).join(", ")}`,
    );
    const startSeconds = await startTournaments(db, tdata.open, tdata.started);
    out(`started ${tdata.started} tournaments (bracket generation) in ${startSeconds.toFixed(1)} s`);

    const registrations = cursor(planRegistrations(...(await registrationInputs(db, tdata.open))));
    const reports = cursor(planReports(await readyMatches(db), 20));
    out(`planned ${registrations.left()} registration calls, ${reports.left()} match-report calls`);
    const nextRegistration = (): PlannedCall | undefined => {
      const c = registrations.next();
      if (!c) return undefined;
      const n = registrations.used();
      return {
        path: "registrations.register",
        input: { tournamentSlug: c.tournamentSlug, teamSlug: c.teamSlug, fields: { ign: `Player${n}` } },
        token: tokenOf(c.userId),
      };
    };
    const nextReport = (): PlannedCall | undefined => {
      const c = reports.next();
      if (!c) return undefined;
      return {
        path: "matches.report",
        input: { matchId: c.matchId, scoreA: 1, scoreB: 0 },
        token: tokenOf(c.userId),
        kind: c.completes ? "completing" : "first",
      };
    };

    const cases: TournamentCaseResult[] = [];
    const cache = new Cache({ disabled: false });
    const writes = [
      { name: "registration", path: "registrations.register", next: nextRegistration, pool: registrations },
      { name: "match report", path: "matches.report", next: nextReport, pool: reports },
    ];
    for (const w of writes) {
      for (const clients of [1, 10]) {
        const s = await loadInProcess({
          db,
          cache,
          concurrency: clients,
          seconds: inProcessSeconds,
          warmupSeconds: 0.5,
          next: w.next,
        });
        const { queries, queriesByKind, firstError, ...stats } = s;
        cases.push({
          name: w.name,
          path: w.path,
          transport: "in-process",
          clients,
          cache: "on",
          queries,
          queriesByKind,
          budgetQueries: budgetOf(w.path),
          stats,
          callsLeft: w.pool.left(),
          ...(firstError ? { firstError } : {}),
        });
        out(
          `in-process ${w.name} × ${clients}: ${queries} queries/call, p50/p95/p99 ${stats.p50}/${stats.p95}/${stats.p99} ms, ` +
            `${stats.rps}/s${stats.errors ? `, ${stats.errors} errors (${firstError})` : ""}`,
        );
      }
    }

    // Servers in their own processes, started side by side (an idle one costs nothing).
    const [bareSelect, bareConst, platform, nocache] = await Promise.all([
      startServer("bare-select", database.url, teams),
      startServer("bare-const", database.url, teams),
      startServer("platform", database.url, teams),
      startServer("platform-nocache", database.url, teams),
    ]);
    servers.push(bareSelect, bareConst, platform, nocache);
    const calibrate = async (clients: number) =>
      measureHttp(bareSelect.url, clients, () => ({ label: "bare", path: "/" }));
    const before: Record<string, LatencyStats> = {};
    for (const clients of [1, 10, 100]) before[clients] = await calibrate(clients);
    const bareConstStats = await measureHttp(bareConst.url, 100, () => ({ label: "bare", path: "/" }));
    out(
      `calibration bare-select req/s at 1/10/100: ${before[1]!.rps}/${before[10]!.rps}/${before[100]!.rps}; bare-const ${bareConstStats.rps}`,
    );

    for (const w of writes) {
      for (const clients of [1, 10]) {
        const stats = await measureHttp(platform.url, clients, () => {
          const c = w.next();
          return c ? toRequest(c) : undefined;
        });
        cases.push({
          name: w.name,
          path: w.path,
          transport: "http",
          clients,
          cache: "on",
          budgetQueries: budgetOf(w.path),
          stats,
          callsLeft: w.pool.left(),
        });
        out(
          `http ${w.name} × ${clients}: p50/p95/p99 ${stats.p50}/${stats.p95}/${stats.p99} ms, ${stats.rps} req/s` +
            (stats.errors ? `, ${stats.errors} errors` : ""),
        );
      }
    }

    // Discovery: upcoming first, by game, by game and status — a page of 20.
    const discovery = Array.from({ length: 600 }, (_, i): LoadRequest => {
      const game = `game-${1 + (i % database.counts.games)}`;
      const input =
        i % 3 === 0
          ? { limit: 20 }
          : i % 3 === 1
            ? { gameSlug: game, limit: 20 }
            : { gameSlug: game, status: "registration_open", limit: 20 };
      return { label: "discovery", path: trpcPath("tournaments.list", input) };
    });
    const discoveryQueries = {
      on: await queriesOf(db, "tournaments.list", { limit: 20 }, true),
      off: await queriesOf(db, "tournaments.list", { limit: 20 }, false),
    };
    for (const [cacheMode, server] of [
      ["on", platform],
      ["off", nocache],
    ] as const) {
      let n = 0;
      const stats = await measureHttp(server.url, 100, () => discovery[n++ % discovery.length]);
      cases.push({
        name: "discovery",
        path: "tournaments.list",
        transport: "http",
        clients: 100,
        cache: cacheMode,
        queries: discoveryQueries[cacheMode],
        budgetQueries: budgetOf("tournaments.list"),
        stats,
      });
      out(
        `http discovery × 100, cache ${cacheMode}: p50/p95/p99 ${stats.p50}/${stats.p95}/${stats.p99} ms, ${stats.rps} req/s`,
      );
    }
    const after = await calibrate(100);
    out(`calibration (after) bare-select × 100: ${after.rps} req/s`);
    before[100] = meanStats(before[100]!, after);
    // HTTP rows take their queries per call from the in-process run of the same code.
    for (const c of cases)
      if (c.transport === "http" && c.queries === undefined && c.name !== "discovery") {
        const twin = cases.find((x) => x.transport === "in-process" && x.name === c.name && x.clients === c.clients);
        if (twin?.queries !== undefined) c.queries = twin.queries;
        if (twin?.queriesByKind) c.queriesByKind = twin.queriesByKind;
      }

    const results: TournamentsBenchResults = {
      version: 1,
      startedAt,
      commands,
      machine: machineInfo(),
      dataset: {
        base: { ...database.counts, seedSeconds: Math.round(database.seedSeconds * 10) / 10 },
        tournaments: { ...tdata, seedSeconds: Math.round(tdata.seedSeconds * 10) / 10 },
        server: database.server,
      },
      settings: { seconds, inProcessSeconds, warmupSeconds, startSeconds: Math.round(startSeconds * 10) / 10 },
      calibration: { bareSelect: before, bareConst: bareConstStats },
      cases,
      explain,
      aims: [],
    };
    results.aims = tournamentAims(results);
    out("");
    out(consoleTable(results));
    const dir = path.join(repoRoot, "bench/results");
    mkdirSync(dir, { recursive: true });
    const jsonPath = path.join(dir, "tournaments-latest.json");
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    const mdPath = path.join(repoRoot, "docs/performance.md");
    const md = existsSync(mdPath) ? readFileSync(mdPath, "utf8") : "# Performance\n";
    writeFileSync(mdPath, await prettify(spliceSection(md, renderTournamentsSection(results)), mdPath));
    out(`\nwrote bench/results/tournaments-latest.json and the Tournaments section of docs/performance.md`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await db.destroy();
    await database.drop();
  }
}

/** Starts the match-benchmark tournaments through the real procedure (bracket generation included). */
async function startTournaments(db: Db, open: number, started: number): Promise<number> {
  const t0 = performance.now();
  const rows = await db.db
    .selectFrom("tournaments")
    .select(["slug", "organizer_id"])
    .where("id", ">", open)
    .where("id", "<=", open + started)
    .orderBy("id")
    .execute();
  const cache = new Cache({ disabled: true });
  for (const t of rows)
    await callPath(
      benchCaller(db, cache, tokenOf(t.organizer_id), () => undefined),
      "tournaments.start",
      {
        slug: t.slug,
      },
    );
  return (performance.now() - t0) / 1000;
}

/** First-round matches ready to report, interleaved across tournaments (position-major). */
async function readyMatches(db: Db): Promise<ReadyMatch[]> {
  return db.db
    .selectFrom("matches as m")
    .innerJoin("registrations as ra", "ra.id", "m.side_a_id")
    .innerJoin("registrations as rb", "rb.id", "m.side_b_id")
    .select(["m.id", "ra.user_id as ownerA", "rb.user_id as ownerB"])
    .where("m.state", "=", "ready")
    .orderBy("m.position")
    .orderBy("m.tournament_id")
    .execute();
}

/**
 * Seed 002's slow "registration with team" read is `registrations.list` here: its statement, as
 * the ledger recorded it with its parameters, EXPLAINed on the seeded dataset (the busiest
 * tournament taking entries), listing every scan node of the plan.
 */
async function explainRegistrationRead(db: Db, url: string): Promise<NonNullable<TournamentsBenchResults["explain"]>> {
  const busiest = await db.db
    .selectFrom("tournaments")
    .select("slug")
    .where("status", "=", "registration_open")
    .orderBy("entries_count", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  let statement: { sql: string; params: readonly unknown[] } | undefined;
  await callPath(
    benchCaller(db, new Cache({ disabled: true }), null, (r) => (statement = r.ledger.queries.at(-1))),
    "registrations.list",
    { tournamentSlug: busiest.slug, limit: 20 },
  );
  if (!statement) throw new Error("registrations.list ran no statement");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `explain (format json) ${statement.sql}`,
      [...statement.params],
    );
    const scans: { node: string; relation: string; index?: string }[] = [];
    const walk = (n: PlanNode) => {
      // A Bitmap Index Scan names only its index; its Bitmap Heap Scan parent names the table.
      if (n["Relation Name"] || n["Index Name"])
        scans.push({
          node: n["Node Type"],
          relation: n["Relation Name"] ?? "(bitmap)",
          ...(n["Index Name"] ? { index: n["Index Name"] } : {}),
        });
      for (const child of n.Plans ?? []) walk(child);
    };
    walk(rows[0]!["QUERY PLAN"][0].Plan);
    return {
      procedure: "registrations.list",
      tournament: busiest.slug,
      sql: statement.sql,
      scans,
      seqScanOfRegistrations: scans.some((x) => x.relation === "registrations" && x.node === "Seq Scan"),
    };
  } finally {
    await client.end();
  }
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** Statements of one call; with the cache on, of a second call (after the first filled it). */
async function queriesOf(db: Db, procedure: string, input: unknown, cached: boolean): Promise<number> {
  const cache = new Cache({ disabled: !cached });
  let queries = 0;
  for (let i = 0; i < (cached ? 2 : 1); i++) {
    queries = 0;
    await callPath(
      benchCaller(db, cache, null, (r) => (queries += r.ledger.count)),
      procedure,
      input,
    );
  }
  return queries;
}

function toRequest(c: PlannedCall): LoadRequest {
  return {
    label: c.path,
    path: `/trpc/${c.path}`,
    body: JSON.stringify(c.input),
    ...(c.token ? { headers: { authorization: `Bearer ${c.token}` } } : {}),
  };
}

async function measureHttp(
  baseUrl: string,
  concurrency: number,
  next: () => LoadRequest | undefined,
): Promise<LatencyStats> {
  let label = "";
  const result = await runLoad({
    baseUrl,
    concurrency,
    seconds,
    warmupSeconds,
    next: () => {
      const r = next();
      if (r) label = r.label;
      return r;
    },
  });
  return statsOf(result, label);
}

function consoleTable(r: TournamentsBenchResults): string {
  const rows: string[][] = [["case", "transport", "clients", "q/call", "budget", "p50/p95/p99 ms", "req/s", "errors"]];
  for (const [clients, s] of Object.entries(r.calibration.bareSelect))
    rows.push(["[calibration] bare-select", "http", clients, "1", "", `${s.p50}/${s.p95}/${s.p99}`, `${s.rps}`, ""]);
  const k = r.calibration.bareConst;
  rows.push(["[calibration] bare-const", "http", "100", "0", "", `${k.p50}/${k.p95}/${k.p99}`, `${k.rps}`, ""]);
  for (const c of r.cases)
    rows.push([
      `${c.name}${c.name === "discovery" ? ` (cache ${c.cache})` : ""}`,
      c.transport,
      `${c.clients}`,
      c.queries === undefined ? "-" : `${c.queries}`,
      `${c.budgetQueries}`,
      `${c.stats.p50}/${c.stats.p95}/${c.stats.p99}`,
      `${c.stats.rps}`,
      `${c.stats.errors || ""}`,
    ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  for (const a of r.aims) lines.push(`aim ${a.met ? "met   " : "MISSED"} ${a.name}: ${a.value} (${a.target})`);
  return lines.join("\n");
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:tournaments failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
}
