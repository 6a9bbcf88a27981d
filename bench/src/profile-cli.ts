/*
 * `pnpm bench:profile [--teams N] [--seconds S]` — `node --cpu-prof` of the API under the team-page
 * load (issue 14): the production entry (main.ts, cache on, Redis) with tRPC's adapter
 * (LEAN_QUERIES=off) and with the lean path, and the uncached server both ways; 50 connections of
 * team-page reads over 500 popular teams. Prints each profile's top frames by self time (share of
 * the non-idle samples) and writes the .cpuprofile files to bench/results/profiles/ (open them in
 * Chrome DevTools for the whole tree).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { findFreePort } from "@deltacrown/db/embedded";
import { parseCommand } from "@deltacrown/ops-kit";
import { prepareBenchDatabase, repoRoot } from "./dataset.ts";
import { runLoad, statsOf, trpcPath } from "./http-load.ts";

const { values: opts } = parseCommand({
  name: "pnpm bench:profile",
  summary: "CPU profiles (node --cpu-prof) of the API under the team-page load, lean path on and off, cache on and off",
  options: {
    teams: { type: "number", description: "teams in the seeded dataset", default: 5_000, min: 100, integer: true },
    seconds: { type: "number", description: "seconds of load per profile", default: 5, min: 1 },
    top: { type: "number", description: "frames listed per profile", default: 12, min: 1, integer: true },
    "cached-only": { type: "boolean", description: "only the cached server (lean path off and on)" },
  },
  env: { DATABASE_URL: "its server hosts the bench database (unset: an embedded Postgres)" },
});
const out = (line: string) => process.stdout.write(`${line}\n`);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
}

/** Self samples per frame, as shares of the samples that were not idle. */
export function topFrames(profile: CpuProfile, count: number): { frame: string; share: number }[] {
  const self = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)" || hits === 0) continue;
    busy += hits;
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : "";
    const frame = `${functionName || "(anonymous)"}${where}`;
    self.set(frame, (self.get(frame) ?? 0) + hits);
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

async function profileOne(
  name: string,
  file: string,
  args: string[],
  env: Record<string, string>,
  dir: string,
  paths: string[],
) {
  const port = await findFreePort();
  const profileDir = path.join(dir, name);
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      `--cpu-prof`,
      `--cpu-prof-dir=${profileDir}`,
      "--conditions=source",
      "--import",
      "tsx",
      path.join(repoRoot, file),
      ...args,
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", NO_COLOR: "1" },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(line.slice(6).trim());
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
    // main.ts logs at warn (no line per request): it is polled instead.
    const poll = async () => {
      while (child.exitCode === null) {
        const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return resolve(`http://127.0.0.1:${port}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    if (file.endsWith("main.ts")) void poll();
  });
  let n = 0;
  const result = await runLoad({
    baseUrl: url,
    concurrency: 50,
    seconds: opts.seconds,
    warmupSeconds: 1,
    next: () => ({ label: name, path: paths[n++ % paths.length]! }),
  });
  const stats = statsOf(result, name);
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  const written = readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
  if (!written) throw new Error(`${name}: no profile written`);
  const profile = JSON.parse(readFileSync(path.join(profileDir, written), "utf8")) as CpuProfile;
  out(`\n### ${name}: ${Math.round(stats.rps)} req/s while profiled (p95 ${stats.p95} ms)\n`);
  out("| self time (share of busy samples) | frame |");
  out("| --- | --- |");
  for (const { frame, share } of topFrames(profile, opts.top)) out(`| ${(share * 100).toFixed(1)} % | \`${frame}\` |`);
}

async function main() {
  out(`seeding ${opts.teams} teams…`);
  const database = await prepareBenchDatabase(opts.teams);
  const redisPort = await findFreePort();
  const redis = spawn(
    "redis-server",
    ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  process.once("exit", () => redis.kill("SIGKILL"));
  await new Promise((r) => setTimeout(r, 300));
  const dir = path.join(repoRoot, "bench/results/profiles");
  const paths = Array.from({ length: 2000 }, (_, i) =>
    trpcPath("teams.bySlug", { slug: `team-${1 + ((i * 7919) % 500)}` }),
  );
  const main = {
    DATABASE_URL: database.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SCRYPT_COST: "1024",
    RATE_LIMITS: "off",
    WORKER_STALE_AFTER_MS: "0",
    WEB_CONCURRENCY: "1",
  };
  try {
    for (const lean of ["off", "on"]) {
      await profileOne(
        `cached-lean-${lean}`,
        "apps/server/src/main.ts",
        [],
        { ...main, LEAN_QUERIES: lean },
        dir,
        paths,
      );
      if (opts["cached-only"]) continue;
      await profileOne(
        `uncached-lean-${lean}`,
        "bench/src/serve.ts",
        ["platform-nocache", database.url, String(opts.teams)],
        { LEAN_QUERIES: lean },
        dir,
        paths,
      );
    }
    out(`\nprofiles in ${path.relative(repoRoot, dir)}/`);
  } finally {
    redis.kill("SIGKILL");
    await database.drop();
  }
}

await main();
