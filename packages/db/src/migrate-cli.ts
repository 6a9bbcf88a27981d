/* Operator command: `pnpm migrate` applies every pending migration to DATABASE_URL, printing each step. */
import { parseCommand } from "@deltacrown/ops-kit/cli";

parseCommand({
  name: "pnpm migrate",
  summary: "apply every pending migration (ours, then graphile-worker's schema) to DATABASE_URL, one line per step",
  env: { DATABASE_URL: "the Postgres database to migrate (required)" },
  exitCodes: { 1: "a migration failed (it was rolled back; earlier ones stay applied)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { migrateToLatest } = await import("./migrator.ts");

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("DATABASE_URL is not set: point it at the Postgres database to migrate.\n");
  process.exit(2);
}
try {
  await migrateToLatest({ connectionString: url, onStep: (line) => process.stdout.write(`${line}\n`) });
} catch (error) {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
