/*
 * `pnpm check:performance`: the performance contract against DATABASE_URL. Exit 0 clean, 1 on any
 * finding, 2 when the check could not run. DC_CHECK_MIGRATE=1 migrates first, so CI can point it at
 * a fresh empty database; `--fresh` creates that database itself on DATABASE_URL's server (and drops it).
 */
import { parseCommand } from "@deltacrown/ops-kit/cli";

const { values } = parseCommand({
  name: "pnpm check:performance",
  summary:
    "verify the contract's required indexes (by columns), an index behind every foreign key, and no redundant index",
  options: {
    fresh: {
      type: "boolean",
      description: "check a scratch database created (migrated, then dropped) on DATABASE_URL's server",
    },
  },
  env: {
    DATABASE_URL: "the database to check (required); with --fresh, only its server is used",
    DC_CHECK_MIGRATE: "1: migrate DATABASE_URL before checking it",
  },
  exitCodes: { 1: "findings (listed)", 2: "the check could not run" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { migrateToLatest } = await import("../migrator.ts");
const { withScratchDatabase } = await import("../scratch-database.ts");
const { runPerformanceCheck } = await import("./performance-check.ts");

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set: point it at the Postgres database to check.\n");
  process.exit(2);
}

async function check(databaseUrl: string, migrate: boolean): Promise<number> {
  if (migrate) {
    await migrateToLatest({
      connectionString: databaseUrl,
      onStep: (line) => process.stdout.write(`migrate: ${line}\n`),
    });
  }
  const result = await runPerformanceCheck(databaseUrl);
  for (const pending of result.pending) process.stdout.write(`${pending.message}\n`);
  for (const finding of result.findings) process.stdout.write(`${finding.message}\n`);
  process.stdout.write(`${result.summary}\n`);
  return result.findings.length > 0 ? 1 : 0;
}

try {
  process.exitCode = values.fresh
    ? await withScratchDatabase(url, "dc_check", (scratch) => check(scratch, true))
    : await check(url, process.env.DC_CHECK_MIGRATE === "1");
} catch (error) {
  process.stderr.write(`performance check failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
