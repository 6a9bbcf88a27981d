/*
 * `pnpm import:legacy --from <postgres-url>`: copies the old Django site's data into DeltaCrown
 * (DATABASE_URL) in batches of graphile-worker jobs, then prints the reconciliation report.
 * Exit 0 only when every legacy row is accounted for and every checksum is equal; 1 when not;
 * 2 when the import could not run (bad arguments, unreachable database, another import running).
 */
import { parseArgs } from "node:util";
import { readEnv } from "./env.ts";
import { runImport } from "./run-import.ts";

const HELP = `Usage: pnpm import:legacy --from <postgres-url> [--batch-size <n>]

Copies users, games, organizations and their members, teams, memberships, rankings,
tournaments, registrations and wallets from the old Django database into DeltaCrown's
database (DATABASE_URL, migrated), in batches run as graphile-worker jobs. Resumable: after a
crash, run it again. Idempotent: a second run writes nothing new. Ends with a reconciliation
report; exits 0 only when every legacy row is accounted for and every checksum is equal.

  --from <url>        the old site's Postgres database (read only)
  --batch-size <n>    rows per batch job (default 1000, at most 5000)
  -h, --help          this text
`;

async function main(argv: string[]): Promise<number> {
  let values: { from?: string | undefined; "batch-size"?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        "batch-size": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.from) {
    process.stderr.write(`--from is required\n\n${HELP}`);
    return 2;
  }
  const batchSize = Number(values["batch-size"] ?? "1000");
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
    process.stderr.write("--batch-size must be a whole number from 1 to 5000\n");
    return 2;
  }
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
