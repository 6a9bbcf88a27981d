/*
 * `pnpm import:legacy --from <postgres-url>`: copies the old Django site's data into DeltaCrown
 * (DATABASE_URL) in batches of graphile-worker jobs, then prints the reconciliation report.
 * Exit 0 only when every legacy row is accounted for and every checksum is equal; 1 when not;
 * 2 when the import could not run (bad arguments, unreachable database, another import running).
 */
import { exitWithUsage, parseCommand } from "@deltacrown/ops-kit/cli";

const spec = {
  name: "pnpm import:legacy",
  summary: "copy the old Django site's data into DeltaCrown's database, batch by batch, then reconcile",
  usage: ["--from <postgres-url> [--batch-size <n>]"],
  options: {
    from: { type: "string", placeholder: "url", description: "the old site's Postgres database (read only)" },
    "batch-size": {
      type: "number",
      placeholder: "n",
      description: "rows per batch job, at most 5000",
      default: 1000,
      min: 1,
      integer: true,
    },
  },
  env: { DATABASE_URL: "DeltaCrown's database, migrated (required)" },
  exitCodes: {
    0: "every legacy row is accounted for and every checksum is equal",
    1: "the reconciliation found a difference (reported)",
    2: "the import could not run (bad arguments, unreachable database, another import running)",
  },
  details: `Copies users, games, organizations and their members, teams, memberships, rankings,
tournaments, registrations and wallets, in batches run as graphile-worker jobs. Resumable: after a
crash, run it again. Idempotent: a second run writes nothing new. See docs/import.md.`,
} as const;

async function main(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv);
  if (!values.from) exitWithUsage(spec, "--from is required");
  const batchSize = values["batch-size"];
  if (batchSize > 5000) exitWithUsage(spec, "--batch-size must be a whole number from 1 to 5000");
  // Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
  const { readEnv } = await import("./env.ts");
  const { runImport } = await import("./run-import.ts");
  const env = readEnv();
  const result = await runImport({
    targetUrl: env.databaseUrl,
    sourceUrl: values.from,
    batchSize,
    pauseAt: env.pauseAt,
    out: (line) => process.stdout.write(`${line}\n`),
  });
  return result.ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`import failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
