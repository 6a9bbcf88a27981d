import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";
import { handleConnectionErrors, type ConnectionErrorHandler } from "./connection-errors.ts";
import { recordStatement } from "./ledger.ts";
import { preparingPool } from "./prepared-pool.ts";

export interface DbOptions {
  connectionString: string;
  /** Pool size; the API default suits 2 cores. */
  max?: number;
  applicationName?: string;
  /** Run parameterized statements as named prepared statements (default true; off behind PgBouncer). */
  prepare?: boolean;
  /**
   * Every connection error of the pool and its clients (idle or checked out): log and count it.
   * Handled either way, so a database restart never exits the process.
   */
  onConnectionError?: ConnectionErrorHandler;
  /** Which server this pool talks to, as the query ledger records it (default "primary"). */
  server?: string;
}

export interface Db {
  db: Kysely<Database>;
  pool: pg.Pool;
  destroy(): Promise<void>;
}

// int8 (count(*), sums) as JS numbers: every value we count fits in 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** One Kysely over one pg Pool, with every statement recorded in the active query ledger. */
export function createDb(options: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "deltacrown",
  });
  // A client erroring, idle or checked out (e.g. the server restarted), must not crash the process.
  // Once destroy() began, not reported: pg-pool ends its clients without waiting for their sockets
  // to close, so a Postgres stopped right after (pnpm start on Ctrl-C) can still end one of them
  // with 57P01 — expected, and not "calls fail until it is back".
  let closing = false;
  const onError = options.onConnectionError;
  handleConnectionErrors(pool, onError && ((error, source) => (closing ? undefined : onError(error, source))));
  const server = options.server ?? "primary";
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: preparingPool(pool, options.prepare !== false) }),
    log(event) {
      recordStatement(
        event.query.sql,
        event.query.parameters,
        event.queryDurationMillis,
        event.level === "error",
        server,
      );
    },
  });
  return {
    db,
    pool,
    destroy: () => {
      closing = true;
      return db.destroy();
    },
  };
}
