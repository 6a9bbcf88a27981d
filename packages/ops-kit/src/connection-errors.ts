import { Counter, type Registry } from "prom-client";
import { once } from "./metrics.ts";

export const DB_CONNECTION_ERRORS = "dc_db_connection_errors_total";

export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * The handler for a pg pool's connection errors (@deltacrown/db's `onConnectionError`): each is
 * counted in `dc_db_connection_errors_total{pool,source}` and logged, the first and then at most
 * one line per `logEveryMs` (every client of a pool errs at once when the server restarts).
 * `logger` may be a function, for a logger that exists only later in start-up.
 */
export function reportConnectionErrors(
  registry: Registry,
  pool: string,
  logger: WarnLogger | (() => WarnLogger | undefined) | undefined,
  logEveryMs = 10_000,
): (error: Error, source: "pool" | "client") => void {
  const counter = once(
    registry,
    DB_CONNECTION_ERRORS,
    () =>
      new Counter({
        name: DB_CONNECTION_ERRORS,
        help: "Connection errors of this process's pg pools and clients (a lost or refused database connection)",
        labelNames: ["pool", "source"],
        registers: [registry],
      }),
  );
  let lastLog = -Infinity;
  let suppressed = 0;
  return (error, source) => {
    counter.inc({ pool, source });
    const now = Date.now();
    if (now - lastLog < logEveryMs) {
      suppressed++;
      return;
    }
    lastLog = now;
    const log = typeof logger === "function" ? logger() : logger;
    log?.warn(
      { err: error, pool, source, suppressed },
      "database connection error: calls fail as retryable until it is back",
    );
    suppressed = 0;
  };
}

/**
 * The last line: an error that escaped every handler (a library's unhandled rejection while the
 * database is away, as graphile-worker's job-failure path can produce) ends the process only
 * when it is not a lost connection. A lost connection is logged and counted, and the process
 * goes on: its pools reconnect when the server is back. Anything else is still fatal.
 */
export function surviveConnectionLoss(
  isConnectionLoss: (error: unknown) => boolean,
  report: (error: unknown, kind: "uncaughtException" | "unhandledRejection") => void,
  fatal: (error: unknown) => void,
): void {
  const handle = (kind: "uncaughtException" | "unhandledRejection") => (error: unknown) => {
    if (isConnectionLoss(error)) {
      report(error, kind);
      return;
    }
    fatal(error);
    process.exit(1);
  };
  process.on("uncaughtException", handle("uncaughtException"));
  process.on("unhandledRejection", handle("unhandledRejection"));
}
