import type { Kysely } from "kysely";
import type pg from "pg";
import { createDb, type Db } from "./create-db.ts";
import type { Database } from "./database.ts";

/**
 * Read replicas (Postgres streaming standbys) and what is known of each: polled in the background
 * (never inside a call, so no call pays for it and no ledger counts it). A replica that is down
 * or lags beyond the bound is not picked; the caller falls back to the primary.
 */
export interface ReplicaSetOptions {
  urls: readonly string[];
  /** The primary's pool: asked for its WAL position after a write. */
  primary: pg.Pool;
  /** A replica further behind than this is skipped (default 5 s). */
  maxLagMs?: number;
  /** How often each replica's replay position is read (default 500 ms). */
  pollMs?: number;
  /** Pool size per replica. */
  max?: number;
  prepare?: boolean;
}

export type ReplicaHealth = "up" | "lagging" | "down" | "unknown";

export interface ReplicaStatus {
  /** "replica:<host>:<port>" — the label the query ledger records. */
  server: string;
  status: ReplicaHealth;
  /** Replay lag in ms (0 when everything received is replayed); null while unknown or down. */
  lagMs: number | null;
  replayLsn: string | null;
  checkedAt: string | null;
  error?: string;
}

export type SkipReason = "down" | "lagging" | "behind_session";

export interface PickedReplica {
  server: string;
  db: Kysely<Database>;
}

interface Replica {
  server: string;
  database: Db;
  state: ReplicaStatus;
  replay: bigint | null;
}

/** "16/B374D848" → a number that orders like the WAL. */
export function parseLsn(lsn: string): bigint {
  const [hi, lo] = lsn.split("/");
  if (hi === undefined || lo === undefined) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/** The label of a replica in the ledger, metrics and /health/detailed (no credentials). */
export function replicaLabel(url: string): string {
  const parsed = new URL(url);
  return `replica:${parsed.hostname}:${parsed.port || "5432"}`;
}

const POLL_SQL = `
  select pg_is_in_recovery() as in_recovery,
         pg_last_wal_replay_lsn()::text as replay_lsn,
         case when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
              else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000, 0)
         end::float8 as lag_ms`;

export class ReplicaSet {
  readonly maxLagMs: number;
  private readonly replicas: Replica[];
  private readonly primary: pg.Pool;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;

  constructor(options: ReplicaSetOptions) {
    this.maxLagMs = options.maxLagMs ?? 5000;
    this.primary = options.primary;
    this.replicas = options.urls.map((url) => {
      const server = replicaLabel(url);
      return {
        server,
        database: createDb({
          connectionString: url,
          max: options.max ?? 10,
          applicationName: "deltacrown-api-replica",
          prepare: options.prepare,
          server,
        }),
        state: { server, status: "unknown", lagMs: null, replayLsn: null, checkedAt: null },
        replay: null,
      };
    });
    const pollMs = options.pollMs ?? 500;
    if (this.replicas.length > 0) {
      this.timer = setInterval(() => void this.poll(), pollMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.replicas.length;
  }

  /** Reads every replica's replay position and lag now (also what the timer does). */
  async poll(): Promise<void> {
    await Promise.all(this.replicas.map((r) => this.check(r)));
  }

  private async check(replica: Replica): Promise<void> {
    const checkedAt = new Date().toISOString();
    try {
      const { rows } = await withTimeout(
        replica.database.pool.query<{ in_recovery: boolean; replay_lsn: string | null; lag_ms: number }>(POLL_SQL),
        2000,
      );
      const row = rows[0]!;
      // A promoted standby (or a primary listed by mistake) is not a replica we can reason about.
      if (!row.in_recovery || row.replay_lsn === null) throw new Error("not a streaming replica (not in recovery)");
      const lagMs = Math.round(row.lag_ms);
      replica.replay = parseLsn(row.replay_lsn);
      replica.state = {
        server: replica.server,
        status: lagMs > this.maxLagMs ? "lagging" : "up",
        lagMs,
        replayLsn: row.replay_lsn,
        checkedAt,
      };
    } catch (error) {
      this.markDown(replica, error, checkedAt);
    }
  }

  private markDown(replica: Replica, error: unknown, checkedAt = new Date().toISOString()): void {
    replica.replay = null;
    replica.state = {
      server: replica.server,
      status: "down",
      lagMs: null,
      replayLsn: null,
      checkedAt,
      error: error instanceof Error ? error.message : String(error),
    };
  }

  /** A call on `server` failed to reach it: skip it until the next poll finds it back. */
  reportUnreachable(server: string, error: unknown): void {
    const replica = this.replicas.find((r) => r.server === server);
    if (replica) this.markDown(replica, error);
  }

  /**
   * A replica to read from (round robin over the healthy ones that have replayed past `minLsn`),
   * or the reason none qualifies (the caller reads from the primary and counts it).
   */
  pick(minLsn?: string): PickedReplica | { skipped: SkipReason } {
    const min = minLsn ? parseLsn(minLsn) : null;
    let reason: SkipReason = "down";
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length]!;
      if (replica.state.status !== "up" || replica.replay === null) {
        if (replica.state.status === "lagging" && reason === "down") reason = "lagging";
        continue;
      }
      if (min !== null && replica.replay < min) {
        reason = "behind_session";
        continue;
      }
      this.next = (this.next + i + 1) % this.replicas.length;
      return { server: replica.server, db: replica.database.db };
    }
    return { skipped: reason };
  }

  /** The primary's current WAL position: after a commit, at or past that commit's record. */
  async primaryLsn(): Promise<string> {
    const { rows } = await this.primary.query<{ lsn: string }>("select pg_current_wal_lsn()::text as lsn");
    return rows[0]!.lsn;
  }

  status(): ReplicaStatus[] {
    return this.replicas.map((r) => ({ ...r.state }));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.database.destroy()));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
