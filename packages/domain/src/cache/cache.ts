import type { Redis } from "ioredis";
import { cacheFamilies, cacheKey, type CacheFamily } from "./families.ts";
import { MemoryTier } from "./memory-tier.ts";

export const INVALIDATION_CHANNEL = "dc:cache:invalidate";

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
}

/**
 * Cache-aside over two tiers. Reads: memory → Redis → loader (one loader per key in this
 * process). Invalidation deletes from Redis and tells every process, through Redis pub/sub, to
 * drop its memory copy. A Redis outage degrades to the loader, never to an error.
 */
export class Cache {
  private readonly memory: MemoryTier;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly memoryTtlMs: number;
  readonly stats = { hits: 0, misses: 0 };

  constructor(private readonly options: CacheOptions = {}) {
    this.memory = new MemoryTier(options.memoryMaxEntries ?? 10_000);
    this.memoryTtlMs = options.memoryTtlMs ?? 5_000;
  }

  /** Subscribes to invalidations from other processes; call once at start-up. */
  async listen(): Promise<void> {
    const sub = this.options.subscriber;
    if (!sub) return;
    sub.on("message", (channel: string, key: string) => {
      if (channel === INVALIDATION_CHANNEL) this.memory.delete(key);
    });
    await sub.subscribe(INVALIDATION_CHANNEL);
  }

  async getOrLoad<T>(family: CacheFamily, id: string | number, load: () => Promise<T>): Promise<T> {
    const key = cacheKey(family, id);
    const local = this.memory.get(key);
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

  private async readThrough<T>(family: CacheFamily, key: string, load: () => Promise<T>): Promise<T> {
    const ttlSeconds = cacheFamilies[family].ttlSeconds;
    const redis = this.options.redis;
    if (redis) {
      const shared = await this.safely("get", () => redis.get(key));
      if (shared != null) {
        this.memory.set(key, shared, Math.min(this.memoryTtlMs, ttlSeconds * 1000));
        this.hit(family, "redis");
        return JSON.parse(shared) as T;
      }
    }
    this.stats.misses++;
    this.options.events?.onMiss?.(family);
    const value = await load();
    // `undefined` is not cached: it means "nothing to cache" (e.g. not found is thrown, not cached).
    if (value === undefined) return value;
    const serialized = JSON.stringify(value);
    if (redis) {
      await this.safely("set", () => redis.set(key, serialized, "EX", ttlSeconds));
      this.memory.set(key, serialized, Math.min(this.memoryTtlMs, ttlSeconds * 1000));
    } else {
      this.memory.set(key, serialized, ttlSeconds * 1000);
    }
    return value;
  }

  /** Drops an entry everywhere. Call after the commit that changed the data. */
  async invalidate(family: CacheFamily, id: string | number): Promise<void> {
    const key = cacheKey(family, id);
    this.memory.delete(key);
    const redis = this.options.redis;
    if (!redis) return;
    await this.safely("invalidate", async () => {
      await redis.del(key);
      await redis.publish(INVALIDATION_CHANNEL, key);
    });
  }

  async invalidateMany(entries: readonly (readonly [CacheFamily, string | number])[]): Promise<void> {
    await Promise.all(entries.map(([family, id]) => this.invalidate(family, id)));
  }

  /** Forget the memory tier (tests, and after a Redis reconnect when messages may have been missed). */
  clearMemory(): void {
    this.memory.clear();
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
