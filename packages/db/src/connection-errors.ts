import type pg from "pg";

/**
 * SQLSTATEs and socket errors that mean "the database went away" (a restart, a failover, a
 * dropped connection), not "this statement is wrong": 57P01 admin shutdown, 57P02 crash shutdown,
 * 57P03 cannot connect now (starting up or shutting down), class 08 connection exceptions.
 * A call that failed this way did not commit (or its connection died before the answer), and the
 * same call succeeds once the server is back: callers may retry.
 */
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);
const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ENOTCONN"]);
const UNAVAILABLE_MESSAGES = [
  "Connection terminated unexpectedly",
  "Connection terminated",
  "Client has encountered a connection error and is not queryable",
  "timeout exceeded when trying to connect",
  "the database system is starting up",
  "the database system is shutting down",
];

/** True when `error` (or its `cause`) says the database connection was lost or refused. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === "string" && (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_SOCKET_CODES.has(e.code)))
      return true;
    if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.some((m) => (e!.message as string).includes(m)))
      return true;
    // AggregateError (a refused connection to every address of a host name).
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.some((n) => isDatabaseUnavailable(n))) return true;
    e = e.cause as typeof e;
  }
  return false;
}

export type ConnectionErrorHandler = (error: Error, source: "pool" | "client") => void;

/**
 * Handles every connection error a pg Pool can emit. The pool's own `error` event covers idle
 * clients only: pg-pool takes its listener off a client while it is checked out, and a server
 * that goes away then emits `error` on that Client, which, unhandled, exits the process. So each
 * client gets a listener when the pool connects it. The failing query still rejects (that is how
 * the caller learns), and pg-pool discards the dead client when it is released.
 */
export function handleConnectionErrors(pool: pg.Pool, onError: ConnectionErrorHandler = () => undefined): void {
  pool.on("error", (error) => onError(error, "pool"));
  pool.on("connect", (client) => {
    client.on("error", (error) => onError(error, "client"));
  });
}
