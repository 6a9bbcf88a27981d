import { createHash } from "node:crypto";
import { parseLsn, type Database, type ReplicaSet, type SkipReason } from "@deltacrown/db";
import type { Redis } from "ioredis";
import type { Kysely } from "kysely";

/**
 * Where a replica-declared read runs, with read-your-writes: after a session's write, its reads go
 * to the primary until a replica has replayed past the WAL position that write left on the
 * primary. That position is kept in Redis (shared by every API process; in memory without Redis,
 * which is one process), keyed by a hash of the session token.
 */
export interface ReadRouting {
  readonly replicas: ReplicaSet;
  /** A replica for this session's read, or undefined: read on the primary (counted by reason). */
  readerFor(token: string | null): Promise<{ server: string; db: Kysely<Database> } | undefined>;
  /** After a successful write by this session: remember the primary's WAL position. */
  noteWrite(token: string | null): Promise<void>;
}

export interface ReadRoutingOptions {
  replicas: ReplicaSet;
  redis?: Redis | undefined;
  /** Counts reads that fell back to the primary, by reason. */
  onFallback?: (reason: SkipReason | "session_unknown") => void;
  /** Counts reads served by a replica. */
  onReplicaRead?: (server: string) => void;
}

/**
 * Keeps the larger of the stored and the new LSN (and renews the TTL): two writes of one session
 * finishing out of order must not move its read-your-writes position backwards. LSNs are "hi/lo"
 * 32-bit hex halves; padded to 8 digits each they order as strings.
 */
const RECORD_MAX_LSN = `
local function pad(l)
  local hi, lo = string.match(string.upper(l), '^(%x+)/(%x+)$')
  return string.rep('0', 8 - #hi) .. hi .. string.rep('0', 8 - #lo) .. lo
end
local cur = redis.call('GET', KEYS[1])
if cur and pad(cur) >= pad(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Records `lsn` under `key` unless a later one is there already; 1 when it moved forward. */
export async function recordMaxLsn(redis: Redis, key: string, lsn: string, ttlMs: number): Promise<number> {
  return (await redis.eval(RECORD_MAX_LSN, 1, key, lsn, String(ttlMs))) as number;
}

const keyOf = (token: string) => `dc:ryw:${createHash("sha256").update(token).digest("hex").slice(0, 32)}`;

export function createReadRouting(options: ReadRoutingOptions): ReadRouting {
  const { replicas, redis } = options;
  // Long enough that any replica inside the lag bound has replayed past it; a replica further
  // behind is skipped anyway.
  const ttlMs = Math.max(60_000, replicas.maxLagMs * 10);
  const local = new Map<string, { lsn: string; expires: number }>();

  /** The session's last-write LSN; null: none recorded; undefined: unknown (Redis unreachable). */
  async function lastWrite(token: string): Promise<string | null | undefined> {
    const key = keyOf(token);
    if (!redis) {
      const entry = local.get(key);
      if (!entry || entry.expires < Date.now()) return null;
      return entry.lsn;
    }
    try {
      return await redis.get(key);
    } catch {
      // Redis away: the session's last write is unknown, and only the primary is certainly fresh.
      return undefined;
    }
  }

  return {
    replicas,
    async readerFor(token) {
      const minLsn = token ? await lastWrite(token) : null;
      if (minLsn === undefined) {
        options.onFallback?.("session_unknown");
        return undefined;
      }
      const picked = replicas.pick(minLsn ?? undefined);
      if ("skipped" in picked) {
        options.onFallback?.(picked.skipped);
        return undefined;
      }
      options.onReplicaRead?.(picked.server);
      return picked;
    },
    async noteWrite(token) {
      if (!token) return;
      const lsn = await replicas.primaryLsn();
      const key = keyOf(token);
      if (!redis) {
        if (local.size > 100_000) local.clear();
        const kept = local.get(key);
        const later = kept && kept.expires >= Date.now() && parseLsn(kept.lsn) > parseLsn(lsn) ? kept.lsn : lsn;
        local.set(key, { lsn: later, expires: Date.now() + ttlMs });
        return;
      }
      await recordMaxLsn(redis, key, lsn, ttlMs).catch(() => undefined);
    },
  };
}

/** A failure that means the server is unreachable (not a bad statement): retry on the primary. */
export function isUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.code === "string" ? e.code : "";
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[123]|08...)$/.test(code)) return true;
    if (e instanceof Error && /Connection terminated|no answer within/.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
