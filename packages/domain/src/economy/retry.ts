/** Postgres codes that mean "the same work, run again, will succeed": serialization failure, deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string } | null)?.code ?? "");
}

/**
 * Runs `fn` (a whole transaction) again on serialization failures and deadlocks, with a short
 * jittered back-off, so such races never reach a user as a server error. Locks are taken in one
 * order, so retries are rare; the attempts bound keeps a pathological case finite.
 */
export async function withRetries<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** attempt));
    }
  }
}
