import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { migrations } from "../migrations/index.ts";

export interface MigrateOptions {
  connectionString: string;
  /** Called before and after each step, e.g. to print it. */
  onStep?: (line: string) => void;
}

function migratorFor(connectionString: string) {
  const pool = new pg.Pool({ connectionString, max: 1 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
  return { db, migrator };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Brings a database to the latest schema: our Kysely migrations one at a time (each announced
 * before it runs and timed after, so a long one shows which it is), then graphile-worker's own
 * schema, so a migrated template can be cloned with the job queue in it.
 */
export async function migrateToLatest(options: MigrateOptions): Promise<void> {
  const log = options.onStep ?? (() => undefined);
  const { db, migrator } = migratorFor(options.connectionString);
  try {
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
    log(pending.length === 0 ? "schema already up to date" : `${pending.length} pending migration(s)`);
    for (const [i, m] of pending.entries()) {
      log(`applying ${m.name} (${i + 1}/${pending.length})…`);
      const started = performance.now();
      const result = await migrator.migrateUp();
      if (result.error)
        throw result.error instanceof Error
          ? result.error
          : new Error(`migration ${m.name} failed`, { cause: result.error });
      for (const r of result.results ?? [])
        log(`applied ${r.migrationName} in ${seconds(performance.now() - started)}`);
    }
  } finally {
    await db.destroy();
  }
  const started = performance.now();
  await runWorkerMigrations({ connectionString: options.connectionString, logger: silentLogger() });
  log(`graphile-worker schema ready (${seconds(performance.now() - started)})`);
}

/**
 * Our migrations the database has not run yet (all of them on an empty database); processes
 * check this at start-up so an unmigrated database stops them with "run pnpm migrate" instead
 * of a failing query later.
 */
export async function pendingMigrations(connectionString: string): Promise<string[]> {
  const { db, migrator } = migratorFor(connectionString);
  try {
    return (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  } finally {
    await db.destroy();
  }
}

// graphile-worker's migrations are quiet unless they fail (then they throw).
function silentLogger(): Logger {
  return new Logger(() => () => undefined);
}
