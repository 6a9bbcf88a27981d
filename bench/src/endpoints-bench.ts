/*
 * Issue 14's five endpoints of the Django/DRF comparison, measured by `pnpm bench` over HTTP
 * against the real server (cache on) at a fixed number of connections, next to the calibration
 * servers measured right before and after them, plus wallet transfers at 10 clients next to
 * pgbench's TPC-B on the same database. The Django app itself runs outside the repository: the
 * ratios here are to the calibration servers, which a Django run on the same machine can be
 * read against.
 */
import { loadavg } from "node:os";
import type { Db, PlanDatasetCounts } from "@deltacrown/db";
import { Cache, defaultDomainConfig, rankings, wallets, type Actor } from "@deltacrown/domain";
import { tokenOf } from "./cases.ts";
import { runLoad, statsOf, trpcPath, type LoadRequest } from "./http-load.ts";
import { benchCaller, callPath } from "./in-process.ts";
import { loadInProcess, type InProcessLoadStats } from "./in-process-load.ts";
import { initPgbench, pgbenchTpcb } from "./pgbench.ts";
import { meanStats, round, type LatencyStats } from "./stats.ts";
import { registrationInputs, seedTournamentDataset } from "./tournament-dataset.ts";
import { cursor, planRegistrations } from "./tournament-inputs.ts";

export type CalibrationName = "bare-const" | "fastify-const" | "bare-select";

export interface EndpointRow {
  name: string;
  /** The tRPC procedure behind it. */
  path: string;
  connections: number;
  stats: LatencyStats;
  /** req/s ÷ each calibration server's req/s at the same connections, same run. */
  ratios: Record<CalibrationName, number>;
}

export interface EndpointsResults {
  connections: number;
  /** API processes of the production server the endpoints ran on (WEB_CONCURRENCY). */
  processes: number;
  /** The calibration servers at `connections`, the mean of before and after the endpoints. */
  calibration: Record<CalibrationName, LatencyStats>;
  endpoints: EndpointRow[];
  /**
   * Wallet transfers at `clients` next to pgbench TPC-B on the same database at as many clients:
   * in-process (the procedure through createCaller, as pgbench has no HTTP either; the issue's
   * figure) and over HTTP (the server's own CPU included).
   */
  transfersVsPgbench?: {
    clients: number;
    inProcess: InProcessLoadStats;
    http: LatencyStats;
    pgbenchTps: number;
    ratio: number;
    httpRatio: number;
  };
  /** 1-minute load average before and after (the machine's other work moves every figure). */
  loadAverage: [number, number];
  setup: { tournaments: number; registrations: number; fundedUsers: number; seconds: number };
}

export interface EndpointsOptions {
  db: Db;
  databaseUrl: string;
  counts: PlanDatasetCounts;
  /** The production server (main.ts), cache on. */
  platformUrl: string;
  processes: number;
  calibration: Record<CalibrationName, string>;
  connections: number;
  seconds: number;
  /** Clients of the transfers-vs-pgbench pair (the issue: 10). */
  writeClients: number;
  out: (line: string) => void;
}

const FUNDED_USERS = 500;
const SEARCH_PAGES = 50;
const PAGE_SIZE = 20;

/**
 * The data the endpoints need beyond the plan dataset, built before the servers start (so no
 * server caches a board or a page from before): game-1's leaderboard snapshot (the top-100 read),
 * 200 tournaments of which 40 take entries, with 20,000 registrations (the Django dataset's
 * size), and FUNDED_USERS wallets minted through the domain (the ledger stays balanced).
 */
export async function prepareEndpoints(db: Db, databaseUrl: string, counts: PlanDatasetCounts) {
  const started = performance.now();
  const game = await db.db.selectFrom("games").select("id").where("slug", "=", "game-1").executeTakeFirstOrThrow();
  await rankings.recomputeLeaderboard({ db: db.db }, Number(game.id));
  const tdata = await seedTournamentDataset(databaseUrl, counts, {
    tournaments: 200,
    registrations: 20_000,
    open: 40,
    started: 0,
    entriesPerStarted: 128,
  });
  const funded = await fundUsers(db, counts);
  return {
    open: tdata.open,
    tournaments: tdata.tournaments,
    registrations: tdata.registrations,
    funded,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The first FUNDED_USERS users, each minted 1,000,000 through the domain (the ledger balances). */
export async function fundUsers(db: Db, counts: PlanDatasetCounts): Promise<FundedUser[]> {
  const funded = (
    await db.db
      .selectFrom("users")
      .select(["id", "username"])
      .where("id", "<=", Math.min(FUNDED_USERS, counts.sessions))
      .orderBy("id")
      .execute()
  ).map((u) => ({ id: Number(u.id), username: u.username }));
  const staff: Actor = {
    userId: funded[0]!.id,
    username: funded[0]!.username,
    displayName: "bench",
    isStaff: true,
    createdAt: "",
    sessionId: 0,
  };
  const deps = { db: db.db, cache: new Cache({ disabled: true }), config: defaultDomainConfig };
  for (const u of funded) await wallets.mint(deps, staff, { username: u.username, amount: 1_000_000, reason: "bench" });
  return funded;
}

export interface FundedUser {
  id: number;
  username: string;
}

/** Transfers between two random funded users, each with a new idempotency key. */
export function transferRequests(funded: readonly FundedUser[]): () => LoadRequest {
  let seq = 0;
  return () => {
    const i = Math.floor(Math.random() * funded.length);
    const from = funded[i]!;
    const to = funded[(i + 1 + Math.floor(Math.random() * (funded.length - 1))) % funded.length]!;
    return post("wallets.transfer", tokenOf(from.id), {
      to: to.username,
      amount: 1 + (seq % 5),
      idempotencyKey: `bench-${process.pid}-${++seq}`,
    });
  };
}

/** One of the five endpoints: its requests and, for a cached read, the requests that warm it. */
export interface EndpointCase {
  name: string;
  /** The tRPC procedure behind it. */
  path: string;
  next: () => LoadRequest | undefined;
  /** Requested once each before measuring (the cache's steady state); none: measured as it is. */
  warm?: string[];
}

/**
 * The five endpoints' request streams on the prepared data (also what `pnpm bench:profile`
 * profiles). The team page's warm-up visits every team twice, so that with several API processes
 * each one most likely holds every page, as a cache in service for minutes does (a 3-second window
 * over 5,000 teams would otherwise measure mostly first visits).
 */
export async function endpointCases(
  db: Db,
  counts: PlanDatasetCounts,
  prepared: Awaited<ReturnType<typeof prepareEndpoints>>,
): Promise<{ cases: EndpointCase[]; transfer: () => LoadRequest }> {
  const get = (label: string, paths: string[]) => {
    let n = 0;
    return () => ({ label, path: paths[n++ % paths.length]! });
  };
  // Team page: any of the teams, in a scattered order.
  const teamPaths = Array.from({ length: counts.teams }, (_, i) =>
    trpcPath("teams.bySlug", { slug: `team-${1 + ((i * 7919) % counts.teams)}` }),
  );
  // Search pages 1–50 (20 a page, newest first): the cursors walked once before measuring.
  const searchPaths: string[] = [];
  const anonymous = benchCaller(db, new Cache({ disabled: true }), null, () => undefined);
  let next: number | null | undefined;
  for (let page = 0; page < SEARCH_PAGES && next !== null; page++) {
    const input = { limit: PAGE_SIZE, ...(next ? { cursor: next } : {}) };
    searchPaths.push(trpcPath("teams.search", input));
    next = ((await callPath(anonymous, "teams.search", input)) as { nextCursor: number | null }).nextCursor;
  }
  const boardPath = trpcPath("rankings.leaderboard", { gameSlug: "game-1", limit: 100 });
  const registrations = cursor(planRegistrations(...(await registrationInputs(db, prepared.open))));
  const register = (): LoadRequest | undefined => {
    const c = registrations.next();
    if (!c) return undefined;
    return post("registrations.register", tokenOf(c.userId), {
      tournamentSlug: c.tournamentSlug,
      teamSlug: c.teamSlug,
      fields: { ign: `Player${registrations.used()}` },
    });
  };
  const transfer = transferRequests(prepared.funded);
  const cases: EndpointCase[] = [
    {
      name: "team page (random of the teams)",
      path: "teams.bySlug",
      next: get("teams.bySlug", teamPaths),
      warm: [...teamPaths, ...teamPaths],
    },
    {
      name: `team search, pages 1–${searchPaths.length}`,
      path: "teams.search",
      next: get("teams.search", searchPaths),
    },
    {
      name: "leaderboard, top 100 (one request)",
      path: "rankings.leaderboard",
      next: get("leaderboard", [boardPath]),
      warm: [boardPath, boardPath],
    },
    { name: "tournament registration (a new team each request)", path: "registrations.register", next: register },
    { name: "wallet transfer (random funded users)", path: "wallets.transfer", next: transfer },
  ];
  return { cases, transfer };
}

/** Requests each path once over `connections` keep-alive connections, unmeasured. */
export async function warmUp(baseUrl: string, connections: number, paths: string[]): Promise<void> {
  let n = 0;
  await runLoad({
    baseUrl,
    concurrency: connections,
    seconds: 600,
    warmupSeconds: 0,
    next: () => (n < paths.length ? { label: "warm-up", path: paths[n++]! } : undefined),
  });
}

export async function measureEndpoints(
  options: EndpointsOptions,
  prepared: Awaited<ReturnType<typeof prepareEndpoints>>,
): Promise<EndpointsResults> {
  const { db, counts, connections, out } = options;
  const loadBefore = loadavg()[0]!;
  const get = (label: string, paths: string[]) => {
    let n = 0;
    return () => ({ label, path: paths[n++ % paths.length]! });
  };
  const { cases, transfer } = await endpointCases(db, counts, prepared);
  const funded = prepared.funded;
  const measure = async (url: string, clients: number, nextRequest: () => LoadRequest | undefined) => {
    let label = "";
    const result = await runLoad({
      baseUrl: url,
      concurrency: clients,
      seconds: options.seconds,
      warmupSeconds: 1,
      next: () => {
        const r = nextRequest();
        if (r) label = r.label;
        return r;
      },
    });
    return statsOf(result, label);
  };
  const calibrate = async () => {
    const stats = {} as Record<CalibrationName, LatencyStats>;
    for (const name of ["bare-const", "fastify-const", "bare-select"] as const)
      stats[name] = await measure(options.calibration[name], connections, get(name, ["/"]));
    return stats;
  };

  const before = await calibrate();
  out(
    `endpoints calibration at ${connections}: bare-const ${before["bare-const"].rps}, fastify-const ${before["fastify-const"].rps}, bare-select ${before["bare-select"].rps} req/s`,
  );
  const measured: { name: string; path: string; stats: LatencyStats }[] = [];
  for (const c of cases) {
    if (c.warm) await warmUp(options.platformUrl, connections, c.warm);
    const stats = await measure(options.platformUrl, connections, c.next);
    measured.push({ name: c.name, path: c.path, stats });
    out(
      `endpoint ${c.name}: ${stats.rps} req/s, p50/p95 ${stats.p50}/${stats.p95} ms${stats.errors ? `, ${stats.errors} errors` : ""}`,
    );
  }
  const after = await calibrate();
  const calibration = {
    "bare-const": meanStats(before["bare-const"], after["bare-const"]),
    "fastify-const": meanStats(before["fastify-const"], after["fastify-const"]),
    "bare-select": meanStats(before["bare-select"], after["bare-select"]),
  };
  const ratio = (rps: number, name: CalibrationName) => round(rps / calibration[name].rps, 3);
  const endpoints = measured.map((m) => ({
    ...m,
    connections,
    ratios: {
      "bare-const": ratio(m.stats.rps, "bare-const"),
      "fastify-const": ratio(m.stats.rps, "fastify-const"),
      "bare-select": ratio(m.stats.rps, "bare-select"),
    },
  }));

  // Transfers at `writeClients` next to pgbench TPC-B on the same database, back to back.
  let transfersVsPgbench: EndpointsResults["transfersVsPgbench"];
  try {
    initPgbench(options.databaseUrl);
    const inProcess = await loadInProcess({
      db,
      cache: new Cache(),
      concurrency: options.writeClients,
      seconds: options.seconds,
      warmupSeconds: 1,
      next: () => {
        const r = transfer();
        return { path: r.label, input: JSON.parse(r.body!) as unknown, token: r.headers!.authorization!.slice(7) };
      },
    });
    const http = await measure(options.platformUrl, options.writeClients, transfer);
    const pgbenchTps = pgbenchTpcb(options.databaseUrl, options.writeClients, options.seconds);
    transfersVsPgbench = {
      clients: options.writeClients,
      inProcess,
      http,
      pgbenchTps,
      ratio: round(inProcess.rps / pgbenchTps, 3),
      httpRatio: round(http.rps / pgbenchTps, 3),
    };
    out(
      `transfers × ${options.writeClients}: in-process ${inProcess.rps}/s (${inProcess.queries} queries/call, p95 ${inProcess.p95} ms), ` +
        `HTTP ${http.rps}/s (p95 ${http.p95} ms) · pgbench TPC-B × ${options.writeClients}: ${pgbenchTps} tps · ratios ${transfersVsPgbench.ratio} / ${transfersVsPgbench.httpRatio}`,
    );
  } catch (error) {
    out(`pgbench calibration skipped: ${(error as Error).message}`);
  }
  return {
    connections,
    processes: options.processes,
    calibration,
    endpoints,
    ...(transfersVsPgbench ? { transfersVsPgbench } : {}),
    loadAverage: [round(loadBefore, 2), round(loadavg()[0]!, 2)],
    setup: {
      tournaments: prepared.tournaments,
      registrations: prepared.registrations,
      fundedUsers: funded.length,
      seconds: round(prepared.seconds, 1),
    },
  };
}

function post(path: string, token: string, input: unknown): LoadRequest {
  return {
    label: path,
    path: `/trpc/${path}`,
    body: JSON.stringify(input),
    headers: { authorization: `Bearer ${token}` },
  };
}

/** The console table: every endpoint's req/s and its ratio to each calibration server. */
export function formatEndpoints(r: EndpointsResults): string {
  const lines = [
    `| endpoint (${r.connections} connections, ${r.processes ?? 1} API process${(r.processes ?? 1) > 1 ? "es" : ""}) | req/s | p95 ms | ÷ node:http const | ÷ Fastify const | ÷ bare select |`,
    "| --- | --- | --- | --- | --- | --- |",
  ];
  const names: Record<CalibrationName, string> = {
    "bare-const": "calibration: node:http constant JSON",
    "fastify-const": "calibration: Fastify constant JSON",
    "bare-select": "calibration: node:http + 1 PK select",
  };
  for (const name of ["bare-const", "fastify-const", "bare-select"] as const) {
    const s = r.calibration[name];
    lines.push(
      `| _${names[name]}_ | ${s.rps} | ${s.p95} | ${(s.rps / r.calibration["bare-const"].rps).toFixed(2)} | ${(s.rps / r.calibration["fastify-const"].rps).toFixed(2)} | ${(s.rps / r.calibration["bare-select"].rps).toFixed(2)} |`,
    );
  }
  for (const e of r.endpoints)
    lines.push(
      `| ${e.name} | ${e.stats.rps}${e.stats.errors ? ` (${e.stats.errors} errors)` : ""} | ${e.stats.p95} | ${e.ratios["bare-const"].toFixed(2)} | ${e.ratios["fastify-const"].toFixed(2)} | ${e.ratios["bare-select"].toFixed(2)} |`,
    );
  const t = r.transfersVsPgbench;
  if (t)
    lines.push(
      "",
      `wallet transfers ÷ pgbench TPC-B, same database, ${t.clients} clients: in-process ${t.inProcess.rps} ÷ ${t.pgbenchTps} = ${t.ratio.toFixed(2)} (aim ≥ 0.5); ` +
        `over HTTP ${t.http.rps} ÷ ${t.pgbenchTps} = ${t.httpRatio.toFixed(2)}`,
    );
  lines.push(`1-minute load average: ${r.loadAverage[0]} before, ${r.loadAverage[1]} after`);
  return lines.join("\n");
}
