import { TRPCClientError } from "@trpc/client";

/**
 * Which calls are safe to send again after a failure:
 * - a query, always (it changes nothing);
 * - a mutation only when it carries an idempotency key (e.g. `wallets.transfer`): the server runs
 *   a key once and answers a repeat with the first result, so a retry after a lost answer cannot
 *   move money twice. A mutation without a key is never retried: the first attempt may have
 *   committed before its answer was lost.
 * And only after a failure that may pass: the server said `retryable: true` (a 503 while its
 * database is away — nothing was committed), or no answer came at all (the server restarting,
 * a dropped connection). A refusal (4xx) is final; fix the call instead.
 */
export type RetryableCall = { kind: "query" } | { kind: "mutation"; idempotencyKey?: string | null | undefined };

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  attempts?: number;
  /** First backoff (default 200 ms), doubled per attempt up to `maxDelayMs` (default 5 s), with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Stops waiting and retrying. */
  signal?: AbortSignal;
  /** Told before each retry (logging, metrics). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

interface ErrorDataLike {
  retryable?: boolean;
  retryAfter?: number | null;
  httpStatus?: number;
}

function dataOf(error: unknown): ErrorDataLike | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error as TRPCClientError<never>).data as ErrorDataLike | undefined;
}

/** True when the failure may pass by itself: the server said retryable, or no answer arrived. */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data = dataOf(error);
  if (data) return data.retryable === true;
  // No error envelope: the request never got an answer from the API (refused, reset, a proxy's 502/503).
  return true;
}

/** May this call be sent again after `error`? (See RetryableCall for the rules.) */
export function canRetry(call: RetryableCall, error: unknown): boolean {
  if (call.kind === "mutation" && !call.idempotencyKey) return false;
  return isTransientFailure(error);
}

/**
 * Runs `fn` and, while it fails in a way `canRetry` allows, runs it again after the server's
 * Retry-After or an exponential backoff. A write must send the same idempotency key each time:
 *
 *   const key = crypto.randomUUID();
 *   await withRetry({ kind: "mutation", idempotencyKey: key }, () =>
 *     dc.wallets.transfer.mutate({ to: "bruno", amount: 5, idempotencyKey: key }));
 *   await withRetry({ kind: "query" }, () => dc.teams.bySlug.query({ slug }));
 */
export async function withRetry<T>(call: RetryableCall, fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted || !canRetry(call, error)) throw error;
      const retryAfterMs = (dataOf(error)?.retryAfter ?? 0) * 1000;
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs = Math.max(retryAfterMs, Math.round(backoff / 2 + (Math.random() * backoff) / 2));
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
