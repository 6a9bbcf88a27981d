/*
 * `pnpm check:plans [--teams N] [--statements file.jsonl] [--threshold ROWS]`: records every
 * statement the query-budget scenarios run (by running that test with DC_RECORD_QUERIES), seeds
 * the bench dataset into a scratch database, EXPLAINs each statement on it and fails on a
 * sequential scan of a big table or a sort feeding a LIMIT. Exit 0 clean, 1 on findings, 2 when
 * it could not run. Uses DATABASE_URL's server, or an embedded Postgres when it is unset.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Progress } from "@deltacrown/ops-kit";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { RecordedStatement } from "./plans.ts";
import { DEFAULT_ROW_THRESHOLD } from "./plans-threshold.ts";

// The repository root: the nearest folder holding pnpm-workspace.yaml (this file runs from src/
// under tsx and from dist/src/ when built, at different depths).
const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
const BUDGET_TEST = "packages/api/test/query-budgets.test.ts";

const { values } = parseCommand({
  name: "pnpm check:plans",
  summary:
    "EXPLAIN every statement the query-budget scenarios run, on a seeded dataset, and fail on a sequential scan of a big table or a sort feeding a LIMIT",
  options: {
    teams: {
      type: "number",
      description: "teams in the seeded dataset (default DC_PLAN_TEAMS or 10000)",
      min: 1,
      integer: true,
    },
    statements: {
      type: "string",
      placeholder: "file.jsonl",
      description: "check these recorded statements instead of recording them with the query-budget test",
    },
    threshold: {
      type: "number",
      placeholder: "rows",
      description: "a table above this many rows must not be scanned",
      default: DEFAULT_ROW_THRESHOLD,
      min: 1,
    },
  },
  env: {
    DATABASE_URL: "its server hosts the scratch database (unset: an embedded Postgres)",
    DC_PLAN_TEAMS: "default for --teams",
  },
  exitCodes: { 1: "plan findings (listed)", 2: "the check could not run" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { progress } = await import("@deltacrown/ops-kit");
const { startEmbeddedPostgres } = await import("../embedded-postgres.ts");
const { migrateToLatest } = await import("../migrator.ts");
const { withScratchDatabase } = await import("../scratch-database.ts");
const { seedPlanDataset } = await import("./plans-dataset.ts");
const { checkPlans } = await import("./plans.ts");

const teams = values.teams ?? Number(process.env.DC_PLAN_TEAMS ?? 10_000);
const threshold = values.threshold;
const out = (line: string) => process.stdout.write(`${line}\n`);

function recordStatements(): RecordedStatement[] {
  const given = values.statements;
  const tmp = given ? undefined : mkdtempSync(path.join(os.tmpdir(), "dc-plans-"));
  const file = given ?? path.join(tmp!, "statements.jsonl");
  try {
    if (!given) {
      out(`recording: vitest run ${BUDGET_TEST} (DC_RECORD_QUERIES=${file})`);
      const vitest = path.join(repoRoot, "node_modules/.bin/vitest");
      const run = spawnSync(vitest, ["run", BUDGET_TEST], {
        cwd: repoRoot,
        env: { ...process.env, DC_RECORD_QUERIES: file, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0" },
        stdio: ["ignore", "pipe", "pipe"],
        encoding: "utf8",
      });
      if (run.status !== 0) {
        // The test suite reports its own failures; the plans of what did run are still worth checking.
        out(`warning: the query-budget test failed (exit ${run.status}); checking the statements it recorded`);
        out(`${run.stdout}\n${run.stderr}`.trim().split("\n").slice(-30).join("\n"));
      }
    }
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as RecordedStatement);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

async function check(databaseUrl: string, statements: RecordedStatement[]): Promise<number> {
  await migrateToLatest({ connectionString: databaseUrl, onStep: (line) => out(`migrate: ${line}`) });
  const started = performance.now();
  out(`seeding ${teams} teams…`);
  const counts = await seedPlanDataset(databaseUrl, { teams }, "bench-plan-check-no-login", out);
  out(
    `seeded ${counts.teams} teams, ${counts.users} users, ${counts.memberships} memberships, ${counts.games} games, ` +
      `${counts.organizations} organizations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  let explained: Progress | undefined;
  const result = await checkPlans(databaseUrl, statements, {
    rowThreshold: threshold,
    onProgress(done, total) {
      explained ??= progress("plan check: EXPLAIN", total, { write: out });
      if (done > 0) explained.tick();
    },
  });
  explained?.tick();
  explained?.done();
  for (const s of result.skipped) out(`skipped (could not EXPLAIN) ${s.path}: ${s.reason}\n  query: ${s.fingerprint}`);
  for (const a of result.allowed) out(`allowed ${a.path}: ${a.reason}`);
  for (const f of result.findings) out(`\nPLAN FINDING ${f.message}`);
  out(
    `\nplan check: ${result.checked} distinct statements explained on ${counts.teams} teams ` +
      `(threshold ${threshold} rows): ${result.findings.length} finding(s), ${result.allowed.length} allowed, ` +
      `${result.skipped.length} skipped`,
  );
  return result.findings.length > 0 ? 1 : 0;
}

try {
  const statements = recordStatements();
  if (statements.length === 0) {
    process.stderr.write("no statements were recorded: is the query-budget test running?\n");
    process.exitCode = 2;
  } else {
    out(`recorded ${statements.length} statements`);
    const url = process.env.DATABASE_URL;
    if (url) {
      process.exitCode = await withScratchDatabase(url, "dc_plans", (scratch) => check(scratch, statements));
    } else {
      // Under .data/ (gitignored); a non-persistent cluster removes its folder on stop.
      const dataDir = path.join(repoRoot, ".data", `plans-pg-${process.pid}`);
      const pgServer = await startEmbeddedPostgres({ dataDir, persistent: false, postgresFlags: ["-c", "fsync=off"] });
      try {
        process.exitCode = await check(pgServer.url, statements);
      } finally {
        await pgServer.stop();
      }
    }
  }
} catch (error) {
  process.stderr.write(`plan check failed to run: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 2;
}
