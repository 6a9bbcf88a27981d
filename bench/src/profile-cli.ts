/*
 * `pnpm bench:profile [--teams N] [--seconds S] [--only a,b]` — `node --cpu-prof` of the API under
 * issue 14's endpoints (the load of `pnpm bench`'s endpoints phase, 50 connections): the team page
 * warm (cached) and from a server without cache (uncached), team search, the top-100 leaderboard,
 * registration and wallet transfer. Each profile is of the production entry (main.ts, one process,
 * Redis) — the uncached one of serve.ts's `platform-nocache` — and counts only the samples of the
 * measured window (start-up, warm-up and shutdown are left out). Prints each one's top frames by
 * self time (share of the window's non-idle samples) and writes the .cpuprofile files to
 * bench/results/profiles/ (open them in Chrome DevTools for the whole tree).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { EndpointCase } from "./endpoints-bench.ts";
import type { ServerUnderTest } from "./servers.ts";

const PROFILES = ["team-page", "team-page-uncached", "search", "leaderboard", "registration", "transfer"] as const;
type ProfileName = (typeof PROFILES)[number];

const { values: opts } = parseCommand({
  name: "pnpm bench:profile",
  summary: "CPU profiles (node --cpu-prof) of the API under issue 14's endpoints, top frames of the measured window",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 5_000, min: 100, integer: true },
    seconds: { type: "number", description: "seconds of load per profile", default: 5, min: 1 },
    top: { type: "number", description: "frames listed per profile", default: 12, min: 1, integer: true },
    only: { type: "string", description: `comma-separated subset of ${PROFILES.join(", ")}` },
  },
  env: { DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb } = await import("@deltacrown/db");
const { prepareBenchDatabase, repoRoot } = await import("./dataset.ts");
const { endpointCases, prepareEndpoints, warmUp } = await import("./endpoints-bench.ts");
const { runLoad, statsOf } = await import("./http-load.ts");
const { spawnServer, startPrivateRedis, startProduction } = await import("./servers.ts");

const out = (line: string) => process.stdout.write(`${line}\n`);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self samples per frame within [from, to) µs after the profile's start, as shares of the samples
 * there that were not idle.
 */
export function topFrames(
  profile: CpuProfile,
  count: number,
  window: { from: number; to: number } = { from: 0, to: Infinity },
): { frame: string; share: number }[] {
  const frameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : "";
    frameOf.set(node.id, `${functionName || "(anonymous)"}${where}`);
  }
  const self = new Map<string, number>();
  let busy = 0;
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < window.from || t >= window.to) continue;
    const frame = frameOf.get(profile.samples[i]!) ?? "(unknown)";
    if (frame.startsWith("(idle)")) continue;
    busy++;
    self.set(frame, (self.get(frame) ?? 0) + 1);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, hits]) => ({ frame, share: hits / busy }));
}

/** A frame's file as package/path (node_modules/.pnpm prefixes dropped). */
function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, "");
  const modules = file.lastIndexOf("node_modules/");
  if (modules >= 0) return file.slice(modules + "node_modules/".length);
  return path.relative(repoRoot, file);
}

async function profileOne(name: string, start: (nodeArgs: string[]) => Promise<ServerUnderTest>, c: EndpointCase) {
  const profileDir = path.join(repoRoot, "bench/results/profiles", name);
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const server = await start([`--cpu-prof`, `--cpu-prof-dir=${profileDir}`]);
  let loadFrom = 0;
  let loadTo = 0;
  let stats;
  try {
    if (c.warm) await warmUp(server.url, 50, c.warm);
    const result = await runLoad({
      baseUrl: server.url,
      concurrency: 50,
      seconds: opts.seconds,
      warmupSeconds: 1,
      next: c.next,
    });
    loadTo = performance.now();
    loadFrom = loadTo - result.seconds * 1000;
    stats = statsOf(result, result.byLabel.keys().next().value ?? name);
  } finally {
    await server.stop();
  }
  const stoppedAt = performance.now();
  const written = readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
  if (!written) throw new Error(`${name}: no profile written`);
  const profile = JSON.parse(readFileSync(path.join(profileDir, written), "utf8")) as CpuProfile;
  // The profile ends when the process exits: the window is counted back from its end.
  const end = profile.endTime - profile.startTime;
  const shutdown = (stoppedAt - loadTo) * 1000;
  const window = { from: end - shutdown - (loadTo - loadFrom) * 1000, to: end - shutdown };
  out(
    `\n#### ${name}: ${Math.round(stats.rps)} req/s while profiled (p95 ${stats.p95} ms${stats.errors ? `, ${stats.errors} errors` : ""})\n`,
  );
  out("| self time (share of busy samples) | frame |");
  out("| --- | --- |");
  for (const { frame, share } of topFrames(profile, opts.top, window))
    out(`| ${(share * 100).toFixed(1)} % | \`${frame}\` |`);
}

async function main() {
  const only = opts.only ? (opts.only.split(",").map((s) => s.trim()) as ProfileName[]) : [...PROFILES];
  for (const name of only) if (!PROFILES.includes(name)) throw new Error(`unknown profile ${name}`);
  out(`seeding ${opts.teams} teams…`);
  const database = await prepareBenchDatabase(opts.teams, { sessions: opts.teams * 5 }, out);
  const db = createDb({ connectionString: database.url, max: 10, applicationName: "dc-bench" });
  const redis = await startPrivateRedis();
  try {
    const prepared = await prepareEndpoints(db, database.url, database.counts);
    const { cases } = await endpointCases(db, database.counts, prepared);
    const byPath = (p: string) => cases.find((c) => c.path === p)!;
    const production = (nodeArgs: string[]) =>
      startProduction({ databaseUrl: database.url, redisUrl: redis.url, processes: 1, nodeArgs });
    const uncached = (nodeArgs: string[]) =>
      spawnServer({
        name: "platform-nocache",
        file: "bench/src/serve.ts",
        args: ["platform-nocache", database.url, String(opts.teams)],
        nodeArgs,
      });
    const plan: Record<ProfileName, [typeof production, EndpointCase]> = {
      "team-page": [production, byPath("teams.bySlug")],
      "team-page-uncached": [
        uncached,
        { name: "team page, uncached", path: "teams.bySlug", next: byPath("teams.bySlug").next },
      ],
      search: [production, byPath("teams.search")],
      leaderboard: [production, byPath("rankings.leaderboard")],
      registration: [production, byPath("registrations.register")],
      transfer: [production, byPath("wallets.transfer")],
    };
    for (const name of only) await profileOne(name, plan[name][0], plan[name][1]);
    out(`\nprofiles in bench/results/profiles/`);
  } finally {
    redis.stop();
    await db.destroy();
    await database.drop();
  }
}

await main();
