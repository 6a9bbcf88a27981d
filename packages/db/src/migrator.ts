import { Kysely, Migrator, PostgresDialect, type MigrationResultSet } from "kysely";
import pg from "pg";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { migrations } from "../migrations/index.ts";

export interface MigrateOptions {
  connectionString: string;
  /** Called once per step, e.g. to print it. */
  onStep?: (line: string) => void;
}

/**
 * Brings a database to the latest schema: our Kysely migrations, then graphile-worker's own
 * schema, so a migrated template can be cloned with the job queue in it.
 */
export async function migrateToLatest(options: MigrateOptions): Promise<void> {
  const log = options.onStep ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(migrations) },
    });
    const result: MigrationResultSet = await migrator.migrateToLatest();
    for (const r of result.results ?? []) log(`${r.status === "Success" ? "applied" : r.status}: ${r.migrationName}`);
    if (result.error)
      throw result.error instanceof Error ? result.error : new Error("migration failed", { cause: result.error });
    if ((result.results ?? []).length === 0) log("schema already up to date");
  } finally {
    await db.destroy();
  }
  await runWorkerMigrations({ connectionString: options.connectionString, logger: silentLogger() });
  log("graphile-worker schema ready");
}

// graphile-worker's migrations are quiet unless they fail (then they throw).
function silentLogger(): Logger {
  return new Logger(() => () => undefined);
}
