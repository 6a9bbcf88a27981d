/**
 * Regression: a read that missed, loaded the old value, and stored it AFTER a write's
 * invalidation kept serving the old value for the whole TTL (10 min for a team page). With a
 * per-key generation the late fill is dropped — in Redis and in memory, across two processes —
 * and the next read loads the fresh value.
 */
import { useTestServices } from "@deltacrown/test-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { Cache } from "../../src/cache/cache.ts";
import { cacheKey } from "../../src/cache/families.ts";
import { gate } from "../gate.support.ts";
import { useRedisConnections } from "./redis-connections.support.ts";

describe("cache freshness: a slow read racing a write", () => {
  const services = useTestServices();
  const open = useRedisConnections(services);
  let a: Cache;
  let b: Cache;

  beforeAll(async () => {
    a = new Cache({ redis: open(), subscriber: open() });
    b = new Cache({ redis: open(), subscriber: open() });
    await Promise.all([a.listen(), b.listen()]);
  });

  it("drops the stale fill in Redis and in memory; the next read on either process is fresh", async () => {
    let truth = "old";
    const loaded = gate();
    const release = gate();
    // Process A misses and loads slowly: it reads the old value, then stalls.
    const slow = a.getOrLoad("teamDetail", "race", async () => {
      const seen = truth;
      loaded.open();
      await release.opened;
      return { name: seen };
    });
    await loaded.opened;
    // Meanwhile a write commits on process B and invalidates the key.
    truth = "new";
    await b.invalidate("teamDetail", "race");
    release.open();
    expect(await slow).toEqual({ name: "old" }); // that caller asked before the write: fine

    // The old value was not stored: Redis has nothing, and the next reads load the new one.
    expect(await services.redis.get(cacheKey("teamDetail", "race"))).toBeNull();
    expect(a.stats.staleFillsDropped).toBe(1);
    const load = () => Promise.resolve({ name: truth });
    expect(await a.getOrLoad("teamDetail", "race", load)).toEqual({ name: "new" });
    expect(await b.getOrLoad("teamDetail", "race", load)).toEqual({ name: "new" });
  });

  it("without Redis, the memory tier drops a fill that an invalidation overtook", async () => {
    const solo = new Cache();
    let truth = 1;
    const loaded = gate();
    const release = gate();
    const slow = solo.getOrLoad("userTeams", 7, async () => {
      const seen = truth;
      loaded.open();
      await release.opened;
      return seen;
    });
    await loaded.opened;
    truth = 2;
    await solo.invalidate("userTeams", 7);
    release.open();
    expect(await slow).toBe(1);
    expect(await solo.getOrLoad("userTeams", 7, () => Promise.resolve(truth))).toBe(2);
  });

  it("a warming refresh that loaded before a write does not overwrite it", async () => {
    let truth = "before";
    const loaded = gate();
    const release = gate();
    const warming = a.refresh("teamDetail", "warm", async () => {
      const seen = truth;
      loaded.open();
      await release.opened;
      return { v: seen };
    });
    await loaded.opened;
    truth = "after";
    await b.invalidate("teamDetail", "warm");
    release.open();
    await warming;
    expect(await b.getOrLoad("teamDetail", "warm", () => Promise.resolve({ v: truth }))).toEqual({ v: "after" });
  });
});
