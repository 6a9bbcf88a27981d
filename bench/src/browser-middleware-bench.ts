/**
 * The cost of the browser middleware (CORS, helmet's headers, the session-cookie and Origin work
 * in the context) on the cached team page: two servers over one database, one with the browser
 * policy and one without (`browser: false`), loaded in alternating windows of the same run.
 * Quote the ratio, not absolute numbers (load generator and servers share the cores).
 *   DATABASE_URL=postgres://… pnpm exec tsx bench/src/browser-middleware-bench.ts [seconds] [rounds]
 */
import { createDb, migrateToLatest } from "@deltacrown/db";
import { seedDemo } from "@deltacrown/domain";
import { startPlatform } from "@deltacrown/server/platform";
import { runLoad, statsOf, trpcPath } from "./http-load.ts";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("set DATABASE_URL (a database this benchmark may migrate and seed)");
const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const APP = "https://app.example.com";

await migrateToLatest({ connectionString: databaseUrl });
const seed = createDb({ connectionString: databaseUrl, max: 1 });
await seedDemo(seed.db, 2 ** 12);
await seed.destroy();

const common = {
  databaseUrl,
  host: "127.0.0.1",
  port: 0,
  contractMode: "warn" as const,
  scryptCost: 1024,
  dbPoolMax: 10,
  runWorker: false,
  workerStaleAfterMs: false as const,
  limits: false as const,
};
const withPolicy = await startPlatform({ ...common, browser: { corsOrigins: [APP], secureCookies: true } });
const without = await startPlatform({ ...common, browser: false });
const path = trpcPath("teams.bySlug", { slug: "crimson-crown" });
// A browser app's request: its Origin (allow-listed: CORS headers are written) and no session.
const request = { label: "team", path, headers: { origin: APP } };

const totals = { with: 0, without: 0 };
for (let round = 1; round <= rounds; round++) {
  for (const [name, platform] of [
    ["with", withPolicy],
    ["without", without],
  ] as const) {
    const result = await runLoad({
      baseUrl: platform.url,
      concurrency: 20,
      seconds,
      warmupSeconds: 1,
      next: () => request,
    });
    const stats = statsOf(result, "team");
    totals[name] += stats.rps;
    process.stdout.write(
      `round ${round} ${name.padEnd(7)} ${stats.rps.toFixed(0)} req/s, p95 ${stats.p95.toFixed(2)} ms, errors ${stats.errors}\n`,
    );
  }
}
process.stdout.write(
  `cached team page: with/without browser middleware = ${(totals.with / totals.without).toFixed(3)} (mean of ${rounds} alternating rounds of ${seconds} s)\n`,
);
await withPolicy.close();
await without.close();
