/**
 * The team directory's generation (teamSearch entries): any teamDetail invalidation bumps it, so
 * every cached search page goes at once, on every process; a search that loaded before the write
 * committed is not stored after its invalidation (the per-key generation discipline, with the
 * directory's generation as the key's), in Redis and in memory.
 */
import { unreachableRedis, useTestServices } from "@deltacrown/test-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { Cache } from "../../src/cache/cache.ts";
import { gate } from "../gate.support.ts";
import { useRedisConnections } from "./redis-connections.support.ts";

describe("cache: the team directory's generation", () => {
  const services = useTestServices();
  const open = useRedisConnections(services);
  let a: Cache;
  let b: Cache;

  beforeAll(async () => {
    a = new Cache({ redis: open(), subscriber: open(), memoryTtlMs: 60_000 });
    b = new Cache({ redis: open(), subscriber: open(), memoryTtlMs: 60_000 });
    await Promise.all([a.listen(), b.listen()]);
  });

  it("a search that read before a write is not stored after the write's invalidation", async () => {
    let truth = "old";
    const loaded = gate();
    const release = gate();
    const slow = a.getOrLoad("teamSearch", "race", async () => {
      const seen = truth;
      loaded.open();
      await release.opened;
      return { name: seen };
    });
    await loaded.opened;
    // The write commits on process B; its team page's invalidation bumps the directory.
    truth = "new";
    await b.invalidate("teamDetail", "some-team");
    release.open();
    expect(await slow).toEqual({ name: "old" }); // asked before the write: fine
    expect(a.stats.staleFillsDropped).toBe(1);
    const load = () => Promise.resolve({ name: truth });
    await expect.poll(() => a.getOrLoad("teamSearch", "race", load)).toEqual({ name: "new" });
    expect(await b.getOrLoad("teamSearch", "race", load)).toEqual({ name: "new" });
  });

  it("a bump on one process drops the other's memory copy; hits cost no loader", async () => {
    let version = 1;
    let loads = 0;
    const load = () => Promise.resolve({ version, loads: ++loads });
    const first = await a.getOrLoad("teamSearch", "shared", load);
    expect(await a.getOrLoad("teamSearch", "shared", load)).toEqual(first);
    expect(await b.getOrLoad("teamSearch", "shared", load)).toEqual(first); // from Redis
    expect(loads).toBe(1);
    version = 2;
    await b.invalidateMany([
      ["teamDetail", "x"],
      ["userTeams", 1],
    ]);
    expect((await b.getOrLoad("teamSearch", "shared", load)).version).toBe(2);
    // A's copy (60 s in memory) goes with the message, not with time.
    await expect.poll(async () => (await a.getOrLoad("teamSearch", "shared", load)).version).toBe(2);
    expect(loads).toBe(2); // A read B's fill from Redis
    // Other families' invalidations leave the directory alone.
    await b.invalidate("userTeams", 2);
    await b.invalidate("game", "cs2");
    expect(await b.getOrLoad("teamSearch", "shared", load)).toEqual({ version: 2, loads: 2 });
  });

  it("without Redis, a bump drops the entries and overtakes a fill in flight", async () => {
    const solo = new Cache();
    let truth = 1;
    const loaded = gate();
    const release = gate();
    const slow = solo.getOrLoad("teamSearch", "q", async () => {
      const seen = truth;
      loaded.open();
      await release.opened;
      return seen;
    });
    await loaded.opened;
    truth = 2;
    await solo.invalidate("teamDetail", "t");
    release.open();
    expect(await slow).toBe(1);
    expect(await solo.getOrLoad("teamSearch", "q", () => Promise.resolve(truth))).toBe(2);
    truth = 3;
    expect(await solo.getOrLoad("teamSearch", "q", () => Promise.resolve(truth))).toBe(2); // cached
    await solo.invalidate("teamSearch", "*");
    expect(await solo.getOrLoad("teamSearch", "q", () => Promise.resolve(truth))).toBe(3);
  });

  it("with Redis down, searches read through (never cached, never an error)", async () => {
    const dead = unreachableRedis();
    const cache = new Cache({ redis: dead });
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await cache.getOrLoad("teamSearch", "q", load)).toBe(1);
    expect(await cache.getOrLoad("teamSearch", "q", load)).toBe(2);
    dead.disconnect();
  });
});
