import { AppError } from "@deltacrown/domain";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { LIMIT_NAMES, type LimitName, type LimitsConfig } from "./limits-config.ts";

/** TOO_MANY_REQUESTS with the whole seconds to wait (the error data's `retryAfter`, the Retry-After header). */
export class RateLimitedError extends AppError {
  constructor(
    readonly limit: LimitName,
    readonly retryAfter: number,
  ) {
    super("TOO_MANY_REQUESTS", `Too many requests; try again in ${retryAfter} s`, "RATE_LIMITED");
  }
}

export interface AbuseLimitsOptions {
  config: LimitsConfig;
  /** Shared by every API process; without it each process counts in its own memory. */
  redis?: Redis | undefined;
  /** A refusal (counted per limit). */
  onRefused?: (limit: LimitName) => void;
  /** The store failed and the call was let through (fail open). */
  onStoreError?: (limit: LimitName, error: unknown) => void;
  /** Key prefix in Redis (tests give each server group its own). */
  keyPrefix?: string;
}

type Limiter = RateLimiterRedis | RateLimiterMemory;

/**
 * How long an address that signed into an account stays exempt from that account's lock. Under
 * 24.8 days: the in-memory limiter expires keys with setTimeout, which fires at once (with a
 * TimeoutOverflowWarning) past 2^31-1 ms, so 30 days forgot a known address immediately.
 */
const KNOWN_ADDRESS_SECONDS = 21 * 24 * 3600;

/**
 * The abuse limits of one API process, over rate-limiter-flexible: counters in Redis (atomic, one
 * round trip, shared by every process) or in memory without Redis. A store failure never refuses
 * a call: the limit fails open and `onStoreError` counts it, because an outage of the limiter's
 * store must not take sign-in and every write down with it.
 */
export class AbuseLimits {
  private readonly limiters = {} as Record<LimitName, Limiter>;
  private readonly known: Limiter;

  constructor(private readonly options: AbuseLimitsOptions) {
    const prefix = options.keyPrefix ?? "dc:rl";
    const make = (keyPrefix: string, points: number, duration: number, blockDuration: number): Limiter =>
      options.redis
        ? new RateLimiterRedis({
            storeClient: options.redis,
            keyPrefix,
            points,
            duration,
            blockDuration,
            // Refused at once (and so let through) while the connection is down, instead of queueing.
            rejectIfRedisNotReady: true,
          })
        : new RateLimiterMemory({ keyPrefix, points, duration, blockDuration });
    for (const name of LIMIT_NAMES) {
      const l = options.config[name];
      this.limiters[name] = make(`${prefix}:${name}`, l.points, l.durationSeconds, l.blockSeconds);
    }
    this.known = make(`${prefix}:known`, 1, KNOWN_ADDRESS_SECONDS, 0);
  }

  /**
   * Takes `points` from `key`'s budget under `limit`: undefined when allowed, else the whole
   * seconds until it would be (at least 1).
   */
  async take(limit: LimitName, key: string, points = 1): Promise<number | undefined> {
    try {
      await this.limiters[limit].consume(key, points);
      return undefined;
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.options.onRefused?.(limit);
        return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      }
      this.options.onStoreError?.(limit, error);
      return undefined;
    }
  }

  /** Gives points back (a sign-in that succeeded was not a failure). */
  async give(limit: LimitName, key: string, points = 1): Promise<void> {
    await this.quietly(limit, () => this.limiters[limit].reward(key, points));
  }

  /** Forgets `key` under `limit` (a success resets the consecutive-failure count). */
  async clear(limit: LimitName, key: string): Promise<void> {
    await this.quietly(limit, () => this.limiters[limit].delete(key));
  }

  /** Whether `address` signed into `account` within the last 21 days. */
  async isKnownAddress(account: string, address: string): Promise<boolean> {
    try {
      return (await this.known.get(`${account}|${address}`)) !== null;
    } catch (error) {
      this.options.onStoreError?.("signInAccount", error);
      return false;
    }
  }

  async rememberAddress(account: string, address: string): Promise<void> {
    await this.quietly("signInAccount", () => this.known.set(`${account}|${address}`, 1, KNOWN_ADDRESS_SECONDS));
  }

  private async quietly(limit: LimitName, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.options.onStoreError?.(limit, error);
    }
  }
}
