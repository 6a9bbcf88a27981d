/**
 * Regression: a process's memory tier kept serving a value another process had invalidated when
 * the invalidation message never reached it — sent before its subscription held (start-up under
 * load) or while its subscriber connection was down. Seen across two API processes: a rename on
 * one was not seen on the other for the memory tier's whole TTL. The memory tier now serves only
 * while the subscription is confirmed; meanwhile reads go to Redis, which every writer updates.
 */
import { useTestServices, waitFor } from "@deltacrown/test-harness";
import { Redis } from "ioredis";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { Cache } from "../../src/cache/cache.ts";
import { useRedisConnections } from "./redis-connections.support.ts";

describe("cache: the memory tier only while invalidations can arrive", () => {
  const services = useTestServices();
  const open = useRedisConnections(services);

  /** A cache that records which tier answered each hit. */
  function cacheWithTiers(subscriber?: Redis) {
    const tiers: string[] = [];
    const cache = new Cache({
      redis: open(),
      ...(subscriber ? { subscriber } : {}),
      memoryTtlMs: 600_000,
      events: { onHit: (_family, tier) => tiers.push(tier), onMiss: () => tiers.push("miss") },
    });
    return { cache, tiers };
  }

  it("does not serve from memory before its subscription holds, nor with no subscriber at all", async () => {
    let truth = "old";
    const load = () => Promise.resolve({ name: truth });
    const writer = cacheWithTiers(open());
    await writer.cache.listen();
    const notYet = cacheWithTiers(open());
    const noSubscriber = cacheWithTiers();
    for (const reader of [notYet, noSubscriber]) {
      expect(await reader.cache.getOrLoad("teamDetail", "early", load)).toEqual({ name: "old" });
      expect(await reader.cache.getOrLoad("teamDetail", "early", load)).toEqual({ name: "old" });
    }
    truth = "new";
    await writer.cache.invalidate("teamDetail", "early");
    for (const reader of [notYet, noSubscriber]) {
      expect(await reader.cache.getOrLoad("teamDetail", "early", load)).toEqual({ name: "new" });
      expect(reader.tiers).not.toContain("memory");
    }
    // Once subscribed, the memory tier serves.
    await notYet.cache.listen();
    await notYet.cache.getOrLoad("teamDetail", "early", load);
    await notYet.cache.getOrLoad("teamDetail", "early", load);
    expect(notYet.tiers.at(-1)).toBe("memory");
  });

  it("drops its memory when the subscriber connection goes, and misses no invalidation sent meanwhile", async () => {
    let truth = "old";
    const load = () => Promise.resolve({ name: truth });
    const writer = cacheWithTiers(open());
    // Reconnects after 300 ms, so the invalidation below is sent while it is away.
    const sub = open({ retryStrategy: () => 300 });
    const reader = cacheWithTiers(sub);
    const id = await sub.client("ID"); // before it enters subscriber mode
    await Promise.all([writer.cache.listen(), reader.cache.listen()]);
    await reader.cache.getOrLoad("teamDetail", "gap", load);
    await reader.cache.getOrLoad("teamDetail", "gap", load);
    expect(reader.tiers.at(-1)).toBe("memory");

    // Redis drops the reader's subscriber connection (as it does to a pub/sub client over its
    // output-buffer limit); the write's message is published while nobody listens for the reader.
    const closed = once(sub, "close");
    await services.redis.client("KILL", "ID", String(id));
    await closed;
    truth = "new";
    await writer.cache.invalidate("teamDetail", "gap");
    expect(await reader.cache.getOrLoad("teamDetail", "gap", load)).toEqual({ name: "new" });

    // Resubscribed: memory serves again, and invalidations reach it again.
    await waitFor(async () => {
      await reader.cache.getOrLoad("teamDetail", "gap", load);
      return reader.tiers.at(-1) === "memory";
    });
    truth = "newer";
    await writer.cache.invalidate("teamDetail", "gap");
    await waitFor(async () => (await reader.cache.getOrLoad("teamDetail", "gap", load)).name === "newer", {
      timeoutMs: 10_000,
    });
  });

  it("ignores invalidations of another Redis database's keys: a channel is server-wide, keys are not", async () => {
    const load = () => Promise.resolve({ name: "ours" });
    const reader = cacheWithTiers(open());
    const writer = cacheWithTiers(open());
    await reader.cache.listen();
    // Another deployment on the same Redis server, in another database (this file's is 1–14).
    const otherUrl = new URL(services.redisUrl);
    otherUrl.pathname = "/15";
    const otherRedis = new Redis(otherUrl.toString(), { maxRetriesPerRequest: 2 });
    try {
      for (const key of ["twin", "sentinel"]) {
        await reader.cache.getOrLoad("teamDetail", key, load);
        await reader.cache.getOrLoad("teamDetail", key, load);
        expect(reader.tiers.at(-1)).toBe("memory");
      }
      await new Cache({ redis: otherRedis }).invalidate("teamDetail", "twin");
      // Our own database's invalidation, published after the other one: once it has arrived, so
      // had the other (one server delivers publishes in order).
      await writer.cache.invalidate("teamDetail", "sentinel");
      await waitFor(async () => {
        await reader.cache.getOrLoad("teamDetail", "sentinel", load);
        return reader.tiers.at(-1) !== "memory";
      });
      await reader.cache.getOrLoad("teamDetail", "twin", load);
      expect(reader.tiers.at(-1)).toBe("memory");
    } finally {
      await otherRedis.quit();
    }
  });
});
