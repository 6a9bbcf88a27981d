import type { TestServices } from "@deltacrown/test-harness";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll } from "vitest";

/**
 * Opens Redis connections to the test services (one per cache client or subscriber, as separate
 * processes would have) and closes them all after the file.
 */
export function useRedisConnections(services: Pick<TestServices, "redisUrl">) {
  const conns: Redis[] = [];
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.quit().catch(() => undefined)));
  });
  return (options: RedisOptions = {}) => {
    const r = new Redis(services.redisUrl, { maxRetriesPerRequest: 2, ...options });
    conns.push(r);
    return r;
  };
}
