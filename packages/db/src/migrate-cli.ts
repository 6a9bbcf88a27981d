/* Operator command: `pnpm migrate` applies every pending migration to DATABASE_URL, printing each step. */
import { migrateToLatest } from "./migrator.ts";

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
