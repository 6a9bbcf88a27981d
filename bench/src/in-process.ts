import { appRouter, createCallerFactory, createContextInner, type CallReport } from "@deltacrown/api";
import type { Db } from "@deltacrown/db";
import { Cache, defaultDomainConfig } from "@deltacrown/domain";
import type { BenchCase } from "./cases.ts";
import { BENCH_SCRYPT_COST } from "./dataset.ts";
import { round, summarize, type LatencyStats } from "./stats.ts";

export interface InProcessStats extends LatencyStats {
  /** Mean statements per call (the session lookup of signed-in calls included). */
  queries: number;
}

const createCaller = createCallerFactory(appRouter);

/** Calls `path` on a caller: "teams.bySlug" → caller.teams.bySlug(input). */
export function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

export function benchCaller(database: Db, cache: Cache, token: string | null, onCall: (r: CallReport) => void) {
  return createCaller(
    createContextInner({
      db: database.db,
      cache,
      config: { ...defaultDomainConfig, scryptCost: BENCH_SCRYPT_COST },
      contractMode: "warn",
      onCall,
      token,
    }),
  );
}

/**
 * One caller at a time (concurrency 1) for `seconds`: latency per call through the whole tRPC
 * stack (zod in/out, contract middleware, ledger) without HTTP, and queries per call.
 */
export async function measureInProcess(
  database: Db,
  benchCase: BenchCase,
  cached: boolean,
  seconds: number,
  warmupSeconds: number,
): Promise<InProcessStats> {
  const cache = new Cache({ disabled: !cached });
  let queries = 0;
  let calls = 0;
  let counting = false;
  const onCall = (r: CallReport) => {
    if (!counting) return;
    queries += r.ledger.count;
    calls++;
  };
  const latencies: number[] = [];
  let errors = 0;
  let lastError: unknown;
  const loop = async (untilMs: number, record: boolean, start: number) => {
    for (let i = start; performance.now() < untilMs; i++) {
      const caller = benchCaller(database, cache, benchCase.token(i), onCall);
      const t0 = performance.now();
      try {
        await callPath(caller, benchCase.path, benchCase.input(i));
        if (record) latencies.push(performance.now() - t0);
      } catch (error) {
        if (record) errors++;
        lastError = error;
      }
    }
  };
  await loop(performance.now() + warmupSeconds * 1000, false, 0);
  counting = true;
  const t0 = performance.now();
  await loop(t0 + seconds * 1000, true, 10_000);
  const stats = summarize(latencies, errors, (performance.now() - t0) / 1000);
  if (latencies.length === 0 && lastError)
    throw lastError instanceof Error ? lastError : new Error(JSON.stringify(lastError));
  return { ...stats, queries: round(calls ? queries / calls : 0, 2) };
}
