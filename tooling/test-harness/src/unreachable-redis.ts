import { Redis } from "ioredis";

/**
 * A client of a Redis that is not there (port 1, no reconnects, no offline queue): every command
 * fails at once, as when Redis is down. Disconnect it at the end of the test.
 */
export function unreachableRedis(): Redis {
  const dead = new Redis({
    port: 1,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  dead.on("error", () => undefined);
  return dead;
}
