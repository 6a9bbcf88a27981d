import { useTestServices } from "@deltacrown/test-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { Cache } from "../../src/cache/cache.ts";
import { cacheKey } from "../../src/cache/families.ts";
import { useRedisConnections } from "./redis-connections.support.ts";

describe("cache: stampede protection and early refresh", () => {
  const services = useTestServices();
  const open = useRedisConnections(services);
  let a: Cache;
  let b: Cache;

  beforeAll(async () => {
    const [subA, subB] = [open(), open()];
    a = new Cache({ redis: open(), subscriber: subA, lockPollMs: 5 });
    b = new Cache({ redis: open(), subscriber: subB, lockPollMs: 5 });
    await Promise.all([a.listen(), b.listen()]);
  });

  it("100 concurrent misses across two processes run the loader once", async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 50)); // a slow query
      return { name: "Crown Academy", members: 5 };
    };
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).getOrLoad("teamDetail", "stampede", load)),
    );
    expect(loads).toBe(1);
    expect(results.every((r) => r.name === "Crown Academy")).toBe(true);
    expect(a.stats.waits + b.stats.waits).toBe(1); // the other process waited for the value instead of loading
  });

  it("a loader that fails releases the lock: the waiting process loads itself instead of hanging", async () => {
    let loads = 0;
    const failing = a.getOrLoad("teamDetail", "flaky", async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      throw new Error("db down");
    });
    await new Promise((r) => setTimeout(r, 5));
    const waiting = b.getOrLoad("teamDetail", "flaky", () => {
      loads++;
      return Promise.resolve({ ok: true });
    });
    await expect(failing).rejects.toThrow("db down");
    await expect(waiting).resolves.toEqual({ ok: true });
    expect(loads).toBe(2);
  });

  it("refreshes an entry in the background near its expiry, serving the old value meanwhile", async () => {
    const key = cacheKey("leaderboard", 999);
    await services.redis.set(key, JSON.stringify({ v: 1 }), "EX", 30); // 30 s left of 600: inside the last 10 %
    let loads = 0;
    const value = await a.getOrLoad("leaderboard", 999, () => {
      loads++;
      return Promise.resolve({ v: 2 });
    });
    expect(value).toEqual({ v: 1 });
    const deadline = Date.now() + 5000;
    while ((await services.redis.get(key)) !== JSON.stringify({ v: 2 }) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(await services.redis.get(key)).toBe(JSON.stringify({ v: 2 }));
    expect(await services.redis.ttl(key)).toBeGreaterThan(590);
    expect(loads).toBe(1);
  });

  it("set() replaces an entry and drops other processes' memory copies", async () => {
    await b.getOrLoad("leaderboard", 5, () => Promise.resolve({ v: "old" }));
    await a.set("leaderboard", 5, { v: "new" });
    const deadline = Date.now() + 5000;
    let seen: unknown;
    do {
      seen = await b.getOrLoad("leaderboard", 5, () => Promise.resolve({ v: "loader" }));
      if ((seen as { v: string }).v === "new") break;
      await new Promise((r) => setTimeout(r, 10));
    } while (Date.now() < deadline);
    expect(seen).toEqual({ v: "new" });
  });

  it("sends views in batches: nothing per view, the summed count at the flush", async () => {
    const id = `batched-${process.pid}-${Date.now()}`;
    for (let i = 0; i < 500; i++) a.recordView("teamDetail", id);
    const probe = services.redis;
    // Counted in memory: no Redis command per page view.
    expect(await probe.zscore("dc:views:teamDetail", id)).toBeNull();
    await a.flushViews();
    expect(await probe.zscore("dc:views:teamDetail", id)).toBe("500");
    await a.flushViews(); // nothing pending: nothing sent twice
    expect(await probe.zscore("dc:views:teamDetail", id)).toBe("500");
    await probe.zrem("dc:views:teamDetail", id); // the next test reads the top of the same set
  });

  it("counts views in Redis and returns the most viewed", async () => {
    for (const slug of ["x", "y", "y", "z", "z", "z"]) a.recordView("teamDetail", slug);
    const deadline = Date.now() + 5000;
    let top: string[] = [];
    while (Date.now() < deadline) {
      top = await b.topViewed("teamDetail", 2);
      if (top.length === 2 && top[0] === "z") break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(top).toEqual(["z", "y"]);
  });
});
