import { randomUUID } from "node:crypto";
import { QueryLedger, runWithLedger } from "@deltacrown/db";
import type { Redis } from "ioredis";
import {
  cacheFamilies,
  cacheKey,
  DIRECTORY_FAMILIES,
  DIRECTORY_SOURCES,
  TEAM_DIRECTORY_KEY,
  type CacheFamily,
} from "./families.ts";
import { databaseChannel } from "../shared/pubsub-channel.ts";
import { MemoryTier } from "./memory-tier.ts";

export interface CacheEvents {
  onHit?(family: CacheFamily, tier: "memory" | "redis"): void;
  onMiss?(family: CacheFamily): void;
  onError?(operation: string, error: unknown): void;
}

export interface CacheOptions {
  /** Shared tier; absent in the single-process embedded start, where only memory runs. */
  redis?: Redis;
  /** A second connection in subscriber mode, for cross-process invalidation of the memory tier. */
  subscriber?: Redis;
  /** How long the memory tier may serve an entry when Redis is the source of truth. */
  memoryTtlMs?: number;
  memoryMaxEntries?: number;
  events?: CacheEvents;
  /** Every read runs its loader (benchmarks measure the uncached cost this way). */
  disabled?: boolean;
  /** How long one process may hold a key's load lock; others poll Redis for the value meanwhile. */
  lockMs?: number;
  /** Poll interval while another process loads the key. */
  lockPollMs?: number;
  /** Refresh in the background once an entry's remaining TTL falls under this fraction. */
  earlyRefreshFraction?: number;
}

const lockKey = (key: string) => `${key}:lock`;
/** A key's generation: bumped by every invalidation; a fill loaded under an older one is dropped. */
const genKey = (key: string) => `${key}:gen`;
/** The team directory's generation: every directory family's entries are checked against it. */
const DIRECTORY_GEN_KEY = genKey(TEAM_DIRECTORY_KEY);
const DIRECTORY_PREFIXES = [...DIRECTORY_FAMILIES].map((family) => cacheKey(family, ""));
const inDirectory = (key: string) => DIRECTORY_PREFIXES.some((prefix) => key.startsWith(prefix));
/** Where a key's fills are checked: its own generation, or the directory's for a directory family. */
const generationKey = (key: string) => (inDirectory(key) ? DIRECTORY_GEN_KEY : genKey(key));
/** Far longer than any load: an expired generation reads as "0", which only drops fills (safe). */
const GENERATION_TTL_SECONDS = 86_400;
// Writes the value only while the key's generation is still the one read before loading.
const SET_IF_GENERATION = `
if (redis.call('get', KEYS[2]) or '0') ~= ARGV[3] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`;

/** Keys per pipeline and per invalidation message in invalidateMany. */
const INVALIDATION_CHUNK = 500;

/** A load in flight in this process; an invalidation of its key marks it stale. */
interface Fill {
  stale: boolean;
}

/** What an invalidation says of the team directory (DIRECTORY_SOURCES). */
export interface InvalidateOptions {
  /**
   * "unchanged": the change shows on the team's page but in no search row (follows, pinned posts,
   * sponsors, settings, achievements; a row is name, tag, organization, member count, tier, CP),
   * so every cached search page stays. Without it a teamDetail invalidation bumps the directory:
   * safe by default, and each bump costs one reload per cached search page.
   */
  searchRow?: "unchanged";
}

/** Views per family, counted in Redis (one ZINCRBY) for the warming job. */
export const viewsKey = (family: CacheFamily) => `dc:views:${family}`;

/** How long views are counted in memory before one pipeline sends them (recordView). */
const VIEW_FLUSH_MS = 200;

/**
 * Cache-aside over two tiers. Reads: memory → Redis → loader. One loader per key in this
 * process (in-flight promise) AND across processes (a short Redis lock: `SET NX PX`; the others
 * poll Redis for the value until the lock would have expired, then load themselves). An entry
 * read from Redis in the last `earlyRefreshFraction` of its TTL is refreshed in the background
 * (under the same lock), so hot keys do not expire under load. Invalidation deletes from Redis and
 * tells every process, through Redis pub/sub, to drop its memory copy. A Redis outage degrades to
 * the loader, never to an error.
 *
 * Freshness: a value loaded BEFORE a write committed must never be stored AFTER that write's
 * invalidation (it would be served for the whole TTL). Each key has a generation in Redis that
 * every invalidation bumps; a reader notes it before loading and its fill is written only if the
 * generation is unchanged (one atomic script). In memory, fills in flight are marked stale by any
 * invalidation of their key, local or from another process, and are then not kept.
 *
 * Directory families (team search) share ONE generation, the team directory's, which is also in
 * their keys: a bump (each teamDetail invalidation) orphans every entry at once, and their fills
 * are checked against it exactly as above. Each process keeps the generation in its memory tier,
 * dropped like any entry by the bump's message, so a memory hit costs no Redis round trip.
 */
export class Cache {
  private readonly memory: MemoryTier;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly memoryTtlMs: number;
  private readonly refreshing = new Set<string>();
  private readonly fills = new Map<string, Set<Fill>>();
  /**
   * Whether the memory tier may be used. Alone (no Redis) it always may. With Redis, only while
   * the invalidation subscription is confirmed: a process that is not subscribed yet, or whose
   * subscriber connection dropped, misses other processes' invalidations and would serve their
   * stale values for the memory TTL. Meanwhile reads go to Redis, which the writers invalidated.
   */
  private memoryLive: boolean;
  /** Bumped when the subscriber connection closes: a confirmation from before does not count. */
  private subscriptionEpoch = 0;
  readonly stats = { hits: 0, misses: 0, waits: 0, earlyRefreshes: 0, staleFillsDropped: 0 };
  /** Views counted since the last flush, by family and id (recordView). */
  private readonly pendingViews = new Map<string, number>();
  private viewFlush: NodeJS.Timeout | undefined;
  /** Counts drops of the directory's local generation: a Redis read that one overtook is not kept. */
  private directoryDrops = 0;

  /** Invalidations of this Redis database's keys (the data client's; the subscriber shares its URL). */
  private readonly channel: string;

  constructor(private readonly options: CacheOptions = {}) {
    this.channel = databaseChannel("dc:cache:invalidate", options.redis ?? options.subscriber);
    this.memory = new MemoryTier(options.memoryMaxEntries ?? 10_000);
    this.memoryTtlMs = options.memoryTtlMs ?? 60_000;
    this.memoryLive = !options.redis;
  }

  /**
   * Subscribes to invalidations from other processes; call once at start-up. The memory tier
   * serves from the confirmed subscription on, stops the moment the subscriber connection closes
   * (messages may be lost until it is back) and starts again, emptied, once resubscribed.
   */
  async listen(): Promise<void> {
    const sub = this.options.subscriber;
    if (!sub) return;
    sub.on("message", (channel: string, key: string) => {
      // One message may name several keys (invalidateMany), one per line.
      if (channel === this.channel) for (const k of key.split("\n")) this.dropLocal(k);
    });
    sub.on("close", () => this.suspendMemory());
    // After a reconnect: subscribe again (a no-op if ioredis already did) to learn when it holds.
    sub.on("ready", () => void this.confirmSubscription(sub).catch(() => undefined));
    await this.confirmSubscription(sub);
  }

  private async confirmSubscription(sub: Redis): Promise<void> {
    const epoch = this.subscriptionEpoch;
    await sub.subscribe(this.channel);
    if (epoch !== this.subscriptionEpoch || sub.status !== "ready") return;
    if (!this.memoryLive) this.clearMemory();
    this.memoryLive = true;
  }

  /** The subscriber is gone: no memory reads or writes, and loads in flight are not kept there. */
  private suspendMemory(): void {
    this.subscriptionEpoch++;
    if (!this.options.redis) return;
    this.memoryLive = false;
    this.clearMemory();
  }

  async getOrLoad<T>(family: CacheFamily, id: string | number, load: () => Promise<T>): Promise<T> {
    if (this.options.disabled) return load();
    const key = DIRECTORY_FAMILIES.has(family)
      ? (this.localDirectoryKey(family, id) ?? (await this.directoryKey(family, id)))
      : cacheKey(family, id);
    // No directory generation (Redis failed): a fill could not be checked, so read through.
    if (key === undefined) return load();
    const local = this.memoryLive ? this.memory.get(key) : undefined;
    if (local !== undefined) {
      this.hit(family, "memory");
      return JSON.parse(local) as T;
    }
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const promise = this.readThrough(family, key, load).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  /**
   * The memory tier's JSON text of a fresh entry (no parse, no load), or undefined; `countHit`
   * counts it as a memory hit. The API's pre-serialized reads tie an output's JSON text to it.
   */
  peekText(family: CacheFamily, id: string | number, countHit = false): string | undefined {
    if (this.options.disabled || !this.memoryLive) return undefined;
    const key = DIRECTORY_FAMILIES.has(family) ? this.localDirectoryKey(family, id) : cacheKey(family, id);
    if (key === undefined) return undefined;
    const text = this.memory.get(key);
    if (text !== undefined && countHit) this.hit(family, "memory");
    return text;
  }

  /**
   * A directory family's key under the generation this process knows (kept in the memory tier,
   * dropped by every bump, local or announced), or undefined when it knows none. Without Redis
   * the generation is a local count of bumps.
   */
  private localDirectoryKey(family: CacheFamily, id: string | number): string | undefined {
    const generation = !this.options.redis
      ? String(this.directoryDrops)
      : this.memoryLive
        ? this.memory.get(TEAM_DIRECTORY_KEY)
        : undefined;
    return generation === undefined ? undefined : cacheKey(family, `g${generation}:${String(id)}`);
  }

  /** The key under the directory's generation read from Redis; kept locally unless a bump overtook the read. */
  private async directoryKey(family: CacheFamily, id: string | number): Promise<string | undefined> {
    const redis = this.options.redis;
    if (!redis) return this.localDirectoryKey(family, id);
    const drops = this.directoryDrops;
    const generation = await this.safely("get", async () => (await redis.get(DIRECTORY_GEN_KEY)) ?? "0");
    if (generation === undefined) return undefined;
    if (drops === this.directoryDrops && this.memoryLive)
      this.memory.set(TEAM_DIRECTORY_KEY, generation, this.memoryTtlMs);
    return cacheKey(family, `g${generation}:${String(id)}`);
  }

  private async readThrough<T>(family: CacheFamily, key: string, load: () => Promise<T>): Promise<T> {
    const fill = this.track(key);
    try {
      return await this.readThroughTracked(family, key, load, fill);
    } finally {
      this.untrack(key, fill);
    }
  }

  private async readThroughTracked<T>(
    family: CacheFamily,
    key: string,
    load: () => Promise<T>,
    fill: Fill,
  ): Promise<T> {
    const ttlSeconds = cacheFamilies[family].ttlSeconds;
    const redis = this.options.redis;
    if (!redis) {
      this.miss(family);
      const value = await load();
      if (value !== undefined && !fill.stale) this.memory.set(key, JSON.stringify(value), ttlSeconds * 1000);
      return value;
    }
    const shared = await this.safely("get", async () => {
      const replies = await redis.pipeline().get(key).pttl(key).get(generationKey(key)).exec();
      // A pipeline reports per-command errors in its replies instead of rejecting.
      const failed = replies?.find(([error]) => error)?.[0];
      if (failed) throw failed;
      return {
        value: replies?.[0]?.[1] as string | null,
        pttl: Number(replies?.[1]?.[1] ?? -2),
        generation: (replies?.[2]?.[1] as string | null) ?? "0",
      };
    });
    if (shared?.value != null) {
      if (!fill.stale) this.remember(key, shared.value, ttlSeconds);
      this.hit(family, "redis");
      const fraction = this.options.earlyRefreshFraction ?? 0.1;
      if (shared.pttl >= 0 && shared.pttl < ttlSeconds * 1000 * fraction)
        this.refreshInBackground(family, key, load, shared.generation);
      return JSON.parse(shared.value) as T;
    }
    const token = randomUUID();
    const lockMs = this.options.lockMs ?? 3000;
    const locked = await this.safely("lock", () => redis.set(lockKey(key), token, "PX", lockMs, "NX"));
    // `undefined`: Redis failed; load without the lock rather than fail.
    if (locked === null) {
      const waited = await this.waitForValue(key, lockMs);
      if (waited != null) {
        this.stats.waits++;
        if (!fill.stale) this.remember(key, waited, ttlSeconds);
        this.hit(family, "redis");
        return JSON.parse(waited) as T;
      }
    }
    try {
      this.miss(family);
      const value = await load();
      // `undefined` is not cached: it means "nothing to cache" (e.g. not found is thrown, not cached).
      // Without a generation (Redis failed) the fill cannot be checked: it is not stored.
      if (value !== undefined && shared) await this.fillIfCurrent(family, key, value, shared.generation, fill);
      return value;
    } finally {
      if (locked === "OK") await this.releaseLock(key, token);
    }
  }

  /** Polls Redis for a value another process is loading; undefined when the lock lapses first. */
  private async waitForValue(key: string, lockMs: number): Promise<string | undefined> {
    const redis = this.options.redis;
    if (!redis) return undefined;
    const pollMs = this.options.lockPollMs ?? 20;
    const deadline = Date.now() + lockMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const found = await this.safely("get", () => redis.mget(key, lockKey(key)));
      if (found?.[0] != null) return found[0];
      // The loader finished without caching (undefined, or it failed): stop waiting.
      if (found && found[1] == null) return undefined;
    }
    return undefined;
  }

  private async releaseLock(key: string, token: string): Promise<void> {
    const redis = this.options.redis;
    if (!redis) return;
    // Only our own lock: a slow loader must not release a lock another process took after expiry.
    await this.safely("unlock", () =>
      redis.eval(
        `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`,
        1,
        lockKey(key),
        token,
      ),
    );
  }

  /** Early refresh: one background reload per key per process, in its own query ledger. */
  private refreshInBackground<T>(family: CacheFamily, key: string, load: () => Promise<T>, generation: string): void {
    const redis = this.options.redis;
    if (!redis || this.refreshing.has(key)) return;
    this.refreshing.add(key);
    this.stats.earlyRefreshes++;
    const token = randomUUID();
    void runWithLedger(new QueryLedger(`cache-refresh:${family}`), async () => {
      const locked = await this.safely("lock", () =>
        redis.set(lockKey(key), token, "PX", this.options.lockMs ?? 3000, "NX"),
      );
      if (locked !== "OK") return;
      const fill = this.track(key);
      try {
        const value = await load();
        if (value !== undefined) await this.fillIfCurrent(family, key, value, generation, fill, true);
      } finally {
        this.untrack(key, fill);
        await this.releaseLock(key, token);
      }
    })
      .catch((error: unknown) => this.options.events?.onError?.("refresh", error))
      .finally(() => this.refreshing.delete(key));
  }

  /**
   * Stores a loaded value unless an invalidation came after `generation` was read (Redis) or
   * after the load started (memory). `announce`: other processes drop their memory copies.
   */
  private async fillIfCurrent(
    family: CacheFamily,
    key: string,
    value: unknown,
    generation: string,
    fill: Fill,
    announce = false,
    ttlOverride?: number,
  ): Promise<boolean> {
    const redis = this.options.redis;
    const ttlSeconds = ttlOverride ?? cacheFamilies[family].ttlSeconds;
    const serialized = JSON.stringify(value);
    if (!redis) {
      if (fill.stale) return false;
      this.memory.set(key, serialized, ttlSeconds * 1000);
      return true;
    }
    const written = await this.safely("set", async () => {
      const ok = await redis.eval(SET_IF_GENERATION, 2, key, generationKey(key), serialized, ttlSeconds, generation);
      if (ok === 1 && announce) await redis.publish(this.channel, key);
      return ok === 1;
    });
    if (!written) {
      this.stats.staleFillsDropped++;
      return false;
    }
    if (!fill.stale) this.remember(key, serialized, ttlSeconds);
    return true;
  }

  private track(key: string): Fill {
    const fill: Fill = { stale: false };
    let set = this.fills.get(key);
    if (!set) this.fills.set(key, (set = new Set()));
    set.add(fill);
    return fill;
  }

  private untrack(key: string, fill: Fill): void {
    const set = this.fills.get(key);
    set?.delete(fill);
    if (set?.size === 0) this.fills.delete(key);
  }

  /** Drops this process's copy of a key and marks its loads in flight stale. */
  private dropLocal(key: string): void {
    this.memory.delete(key);
    for (const fill of this.fills.get(key) ?? []) fill.stale = true;
    if (key !== TEAM_DIRECTORY_KEY) return;
    // The directory's generation: every directory family's load in flight predates the bump.
    this.directoryDrops++;
    for (const [k, set] of this.fills) if (inDirectory(k)) for (const fill of set) fill.stale = true;
  }

  /** The keys an invalidation drops: the entry's (none for a directory family) and the directory's when it feeds it. */
  private keysOf(family: CacheFamily, id: string | number, options: InvalidateOptions): string[] {
    if (DIRECTORY_FAMILIES.has(family)) return [TEAM_DIRECTORY_KEY];
    const feedsDirectory = DIRECTORY_SOURCES.has(family) && options.searchRow !== "unchanged";
    return feedsDirectory ? [cacheKey(family, id), TEAM_DIRECTORY_KEY] : [cacheKey(family, id)];
  }

  /** Directory families are read only through getOrLoad (their keys carry the generation). */
  private static assertWritable(family: CacheFamily): void {
    if (DIRECTORY_FAMILIES.has(family)) throw new Error(`${family} entries are filled by getOrLoad only`);
  }

  private remember(key: string, serialized: string, ttlSeconds: number): void {
    if (this.memoryLive) this.memory.set(key, serialized, Math.min(this.memoryTtlMs, ttlSeconds * 1000));
  }

  /** Writes Redis (and memory); `announce` tells other processes to drop their memory copy. */
  /**
   * Stores a value its writer computed as the truth (the leaderboard job), bumping the key's
   * generation so a reader's older load cannot overwrite it; other processes drop their copies.
   */
  private async write(family: CacheFamily, key: string, value: unknown, ttlOverride?: number): Promise<void> {
    const ttlSeconds = ttlOverride ?? cacheFamilies[family].ttlSeconds;
    const serialized = JSON.stringify(value);
    this.dropLocal(key);
    const redis = this.options.redis;
    if (!redis) {
      this.memory.set(key, serialized, ttlSeconds * 1000);
      return;
    }
    await this.safely("set", async () => {
      const replies = await redis
        .multi()
        .incr(genKey(key))
        .expire(genKey(key), GENERATION_TTL_SECONDS)
        .set(key, serialized, "EX", ttlSeconds)
        .exec();
      const failed = replies?.find(([error]) => error)?.[0];
      if (failed) throw failed;
      await redis.publish(this.channel, key);
    });
    this.remember(key, serialized, ttlSeconds);
  }

  /**
   * Writes a fresh value (the leaderboard job): replaces the entry before it
   * expires, so hot reads never fall through to the database, and drops other processes'
   * memory copies.
   */
  async set(
    family: CacheFamily,
    id: string | number,
    value: unknown,
    options: { ttlSeconds?: number } = {},
  ): Promise<void> {
    Cache.assertWritable(family);
    await this.write(family, cacheKey(family, id), value, options.ttlSeconds);
  }

  /**
   * Loads and stores a fresh value unless the key is invalidated meanwhile (the warming job): a
   * page loaded just before a write commits is dropped, not stored over the write's invalidation.
   */
  async refresh<T>(
    family: CacheFamily,
    id: string | number,
    load: () => Promise<T>,
    options: { ttlSeconds?: number } = {},
  ): Promise<T> {
    Cache.assertWritable(family);
    const key = cacheKey(family, id);
    const fill = this.track(key);
    try {
      const redis = this.options.redis;
      const generation = redis ? await this.safely("get", async () => (await redis.get(genKey(key))) ?? "0") : "0";
      const value = await load();
      if (value !== undefined && generation !== undefined)
        await this.fillIfCurrent(family, key, value, generation, fill, true, options.ttlSeconds);
      return value;
    } finally {
      this.untrack(key, fill);
    }
  }

  /**
   * Counts one view of an entry; the warming job reads the top. Counted in memory and sent every
   * VIEW_FLUSH_MS as one pipeline of ZINCRBYs (summed per entry): a Redis command per page view
   * was a write syscall and a reply to read on every cached hit, the hottest path there is.
   */
  recordView(family: CacheFamily, id: string | number): void {
    if (!this.options.redis) return;
    const key = `${family}\u0000${String(id).toLowerCase()}`;
    this.pendingViews.set(key, (this.pendingViews.get(key) ?? 0) + 1);
    this.viewFlush ??= setTimeout(() => void this.flushViews(), VIEW_FLUSH_MS).unref();
  }

  /** Sends the counted views now (also before the Redis connection closes). */
  async flushViews(): Promise<void> {
    if (this.viewFlush) clearTimeout(this.viewFlush);
    this.viewFlush = undefined;
    const redis = this.options.redis;
    if (!redis || this.pendingViews.size === 0) return;
    const views = [...this.pendingViews];
    this.pendingViews.clear();
    await this.safely("view", async () => {
      const pipeline = redis.pipeline();
      for (const [key, count] of views) {
        const [family, id] = key.split("\u0000") as [CacheFamily, string];
        pipeline.zincrby(viewsKey(family), count, id);
      }
      await pipeline.exec();
    });
  }

  /** The most viewed ids of a family, most viewed first. */
  async topViewed(family: CacheFamily, count: number): Promise<string[]> {
    const redis = this.options.redis;
    if (!redis) return [];
    return (await this.safely("topViewed", () => redis.zrevrange(viewsKey(family), 0, count - 1))) ?? [];
  }

  /** Every counted id of a family with its cumulative views (the weekly analytics job reads them). */
  async viewTotals(family: CacheFamily): Promise<Map<string, number>> {
    const redis = this.options.redis;
    const totals = new Map<string, number>();
    if (!redis) return totals;
    const flat = (await this.safely("viewTotals", () => redis.zrange(viewsKey(family), 0, -1, "WITHSCORES"))) ?? [];
    for (let i = 0; i + 1 < flat.length; i += 2) totals.set(flat[i]!, Number(flat[i + 1]));
    return totals;
  }

  /**
   * Drops an entry everywhere. Call after the commit that changed the data. A teamDetail entry
   * takes the team directory's generation with it (DIRECTORY_SOURCES); invalidating a directory
   * family bumps that generation (all its entries at once).
   */
  async invalidate(family: CacheFamily, id: string | number, options: InvalidateOptions = {}): Promise<void> {
    await this.invalidateKeys(this.keysOf(family, id, options));
  }

  /** Drops many entries everywhere: the same steps as invalidate, pipelined, one message per chunk. */
  async invalidateMany(
    entries: readonly (readonly [CacheFamily, string | number])[],
    options: InvalidateOptions = {},
  ): Promise<void> {
    await this.invalidateKeys([...new Set(entries.flatMap(([family, id]) => this.keysOf(family, id, options)))]);
  }

  private async invalidateKeys(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.dropLocal(key);
    const redis = this.options.redis;
    if (!redis || keys.length === 0) return;
    for (let i = 0; i < keys.length; i += INVALIDATION_CHUNK) {
      const chunk = keys.slice(i, i + INVALIDATION_CHUNK);
      await this.safely("invalidate", async () => {
        // Per key the generation first: from then on no fill loaded earlier can be stored; then the
        // value. One key in one transaction; many pipelined (a pipeline keeps the order).
        const commands = keys.length === 1 ? redis.multi() : redis.pipeline();
        for (const key of chunk) commands.incr(genKey(key)).expire(genKey(key), GENERATION_TTL_SECONDS).del(key);
        const replies = await commands.exec();
        const failed = replies?.find(([error]) => error)?.[0];
        if (failed) throw failed;
        await redis.publish(this.channel, chunk.join("\n"));
      });
    }
    // Again once Redis has the bump: a read in this process between the first drop and the bump
    // may have kept the old value or generation (other processes drop theirs on the message).
    for (const key of keys) this.dropLocal(key);
  }

  /** Forgets the memory tier, and keeps no load in flight there (it may predate a lost message). */
  clearMemory(): void {
    this.memory.clear();
    this.directoryDrops++; // the directory's generation went with it: a read in flight may predate a lost bump
    for (const set of this.fills.values()) for (const fill of set) fill.stale = true;
  }

  private miss(family: CacheFamily): void {
    this.stats.misses++;
    this.options.events?.onMiss?.(family);
  }

  private hit(family: CacheFamily, tier: "memory" | "redis"): void {
    this.stats.hits++;
    this.options.events?.onHit?.(family, tier);
  }

  private async safely<T>(operation: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      this.options.events?.onError?.(operation, error);
      return undefined;
    }
  }
}
