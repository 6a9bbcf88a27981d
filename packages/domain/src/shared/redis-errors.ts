import type { Redis } from "ioredis";

export interface RedisErrorReport {
  /** Every error event (a metric). */
  count(client: string, error: unknown): void;
  /** A log line; called for the first error and then at most once per `logEveryMs` per client. */
  log(client: string, error: unknown, suppressed: number): void;
  logEveryMs?: number;
}

/**
 * Watches a Redis client's `error` events. An unhandled `error` event would crash the process,
 * and an ignored one hides an outage: each is counted, and logged at a bounded rate (a client
 * retrying a dead server emits one per reconnect attempt).
 */
export function watchRedisErrors(client: Redis | undefined, name: string, report: RedisErrorReport): void {
  if (!client) return;
  const every = report.logEveryMs ?? 30_000;
  let lastLog = -Infinity;
  let suppressed = 0;
  client.on("error", (error: unknown) => {
    report.count(name, error);
    const now = Date.now();
    if (now - lastLog < every) {
      suppressed++;
      return;
    }
    lastLog = now;
    report.log(name, error, suppressed);
    suppressed = 0;
  });
}
