import { AsyncLocalStorage } from "node:async_hooks";
import { fingerprint, isTransactionControl } from "./fingerprint.ts";

export interface LedgerEntry {
  sql: string;
  /** Bind parameters, kept in memory only (plan checks replay the statement with them). */
  params: readonly unknown[];
  fingerprint: string;
  durationMs: number;
  /** Transaction control (begin/commit/savepoint) is kept for the record but never counted. */
  control: boolean;
  failed: boolean;
  /** Run by a transaction attempt that was rolled back and retried: kept, never counted. */
  retried: boolean;
  /** The server that ran it: "primary", or a replica's label (read routing). */
  server: string;
}

/** Every statement run inside one procedure call or one job, in completion order. */
export class QueryLedger {
  readonly entries: LedgerEntry[] = [];
  /** Transaction attempts rolled back on a deadlock or serialization failure and run again. */
  retries = 0;
  constructor(readonly scope: string) {}

  /**
   * A transaction attempt that started at entry `from` failed and will run again: its statements
   * stay on record but leave the budget and N+1 counts (contention is not the code's shape).
   */
  markRetried(from: number): void {
    this.retries++;
    for (let i = from; i < this.entries.length; i++) this.entries[i]!.retried = true;
  }

  record(sql: string, durationMs: number, failed = false, params: readonly unknown[] = [], server = "primary"): void {
    this.entries.push({
      sql,
      params,
      fingerprint: fingerprint(sql),
      durationMs,
      control: isTransactionControl(sql),
      failed,
      retried: false,
      server,
    });
  }

  /** Statements that count toward the budget. */
  get queries(): LedgerEntry[] {
    return this.entries.filter((e) => !e.control && !e.retried);
  }

  get count(): number {
    let count = 0;
    for (const e of this.entries) if (!e.control && !e.retried) count++;
    return count;
  }

  get totalMs(): number {
    return this.queries.reduce((sum, e) => sum + e.durationMs, 0);
  }

  /** Fingerprints run `threshold` or more times: the signature of an N+1. */
  repeats(threshold = 3): { fingerprint: string; times: number }[] {
    if (this.entries.length < threshold) return [];
    const counts = new Map<string, number>();
    for (const e of this.queries) counts.set(e.fingerprint, (counts.get(e.fingerprint) ?? 0) + 1);
    return [...counts].filter(([, times]) => times >= threshold).map(([fp, times]) => ({ fingerprint: fp, times }));
  }

  fingerprints(): string[] {
    return this.queries.map((e) => e.fingerprint);
  }
}

const storage = new AsyncLocalStorage<QueryLedger>();

/** Runs `fn` with a fresh ledger; every query it starts (in parallel too) lands in that ledger. */
export function runWithLedger<T>(ledger: QueryLedger, fn: () => Promise<T>): Promise<T> {
  return storage.run(ledger, fn);
}

export function currentLedger(): QueryLedger | undefined {
  return storage.getStore();
}

/** Called by the database's log hook for every statement. */
export function recordStatement(
  sql: string,
  params: readonly unknown[],
  durationMs: number,
  failed: boolean,
  server = "primary",
): void {
  storage.getStore()?.record(sql, durationMs, failed, params, server);
}
