import type { CallReport } from "@deltacrown/api";
import type { Db } from "@deltacrown/db";
import type { Cache } from "@deltacrown/domain";
import { benchCaller, callPath } from "./in-process.ts";
import { round, summarize, type LatencyStats } from "./stats.ts";

/** One call of an in-process load: procedure, input, bearer token and a kind to count queries by. */
export interface PlannedCall {
  path: string;
  input: unknown;
  token: string | null;
  kind?: string;
}

export interface InProcessLoadStats extends LatencyStats {
  /** Mean statements per successful call (the session lookup of signed-in calls included). */
  queries: number;
  /** Mean statements per call, by the calls' `kind` (e.g. first vs completing match report). */
  queriesByKind: Record<string, number>;
  /** The first error's message, when some calls failed. */
  firstError?: string;
}

/**
 * `concurrency` callers in one process, each a closed loop through createCaller (zod, contract
 * middleware, ledger; no HTTP), pulling calls from `next` until `seconds` pass or it runs out.
 */
export async function loadInProcess(options: {
  db: Db;
  cache: Cache;
  concurrency: number;
  seconds: number;
  warmupSeconds: number;
  next: () => PlannedCall | undefined;
}): Promise<InProcessLoadStats> {
  const latencies: number[] = [];
  const perKind = new Map<string, { queries: number; calls: number }>();
  let errors = 0;
  let firstError: string | undefined;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const call = options.next();
      if (!call) return;
      let queries = 0;
      const caller = benchCaller(options.db, options.cache, call.token, (r: CallReport) => {
        queries += r.ledger.count;
      });
      const record = measuring;
      const t0 = performance.now();
      try {
        await callPath(caller, call.path, call.input);
        if (record && !stop) {
          latencies.push(performance.now() - t0);
          const k = perKind.get(call.kind ?? "all") ?? { queries: 0, calls: 0 };
          k.queries += queries;
          k.calls++;
          perKind.set(call.kind ?? "all", k);
        }
      } catch (error) {
        if (record) errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  let running = options.concurrency;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (allDone = r));
  const workers = Array.from({ length: options.concurrency }, () =>
    worker().finally(() => {
      if (--running === 0) allDone();
    }),
  );
  const wait = (ms: number) => Promise.race([new Promise((r) => setTimeout(r, ms)), done]);
  await wait(options.warmupSeconds * 1000);
  measuring = true;
  const started = performance.now();
  await wait(options.seconds * 1000);
  stop = true;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(workers);
  const totals = [...perKind.values()].reduce(
    (a, b) => ({ queries: a.queries + b.queries, calls: a.calls + b.calls }),
    {
      queries: 0,
      calls: 0,
    },
  );
  return {
    ...summarize(latencies, errors, seconds),
    queries: totals.calls ? round(totals.queries / totals.calls, 2) : 0,
    queriesByKind: Object.fromEntries([...perKind].map(([k, v]) => [k, round(v.queries / v.calls, 2)])),
    ...(errors > 0 && firstError ? { firstError } : {}),
  };
}
