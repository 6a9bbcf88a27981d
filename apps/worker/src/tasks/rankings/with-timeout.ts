/**
 * Fails a task that runs longer than `ms` (twice its expected time), so graphile-worker retries
 * it with its exponential backoff instead of a stuck job holding a worker slot silently. The work
 * itself is not cancelled; every task here is safe to run twice.
 */
export async function withTimeout<T>(task: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${task} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Expected durations (bench: 100k teams recompute, 1M rankings decay) × 2. */
export const TASK_TIMEOUTS_MS = {
  "rankings/award-tournament": 2 * 5_000,
  "rankings/leaderboards": 2 * 5_000,
  "rankings/leaderboard": 2 * 30_000,
  "rankings/decay": 2 * 5_000, // one batch of ≤ 1000 teams
  "cache/warm-teams": 2 * 15_000,
} as const;
