import { AppError } from "@deltacrown/domain";
import type { Context } from "../context.ts";
import { RateLimitedError } from "./abuse-limits.ts";
import type { LimitName } from "./limits-config.ts";

/** The client's address as the server determined it (behind a trusted proxy: the forwarded one). */
export const addressOf = (ctx: Context) => ctx.clientAddress ?? "unknown";

/** Takes one point of `limit` for `key`, or refuses the call with TOO_MANY_REQUESTS. */
export async function guard(ctx: Context, limit: LimitName, key: string): Promise<void> {
  const wait = await ctx.limits?.take(limit, key);
  if (wait !== undefined) throw new RateLimitedError(limit, wait);
}

/** What the sign-in guard reads of tRPC's middleware result. */
interface CallResult {
  ok: boolean;
  error?: { cause?: unknown };
}

const isBadCredentials = (result: CallResult) =>
  !result.ok && result.error?.cause instanceof AppError && result.error.cause.reason === "BAD_CREDENTIALS";

/**
 * Sign-in: three counters, each reserved BEFORE the password is checked (so parallel attempts
 * cannot all slip past a check), released again unless the attempt failed on its credentials:
 * - per address, failures on any account (one address guessing across accounts);
 * - per account and address, consecutive failures, reset by a success (the classic lockout,
 *   which only locks that address: the owner elsewhere is unaffected);
 * - per account, failures from every address (distributed guessing). Its lock is short and never
 *   applies to an address the account signed in from before, so an attacker cannot keep the
 *   owner out: a new address waits at most the lock's length after the attack stops.
 * A refused attempt takes nothing from the other counters and does not extend a lock.
 */
export async function guardSignIn<T extends CallResult>(ctx: Context, login: string, run: () => Promise<T>) {
  const limits = ctx.limits;
  if (!limits) return run();
  const account = login.trim().toLowerCase();
  const address = addressOf(ctx);
  const pair = `${account}|${address}`;
  const known = await limits.isKnownAddress(account, address);
  const checks: [LimitName, string][] = [
    ["signInAddress", address],
    ["signInConsecutive", pair],
    ...(known ? [] : [["signInAccount", account] as [LimitName, string]]),
  ];
  const waits = await Promise.all(checks.map(([limit, key]) => limits.take(limit, key)));
  const refused = waits.findIndex((w) => w !== undefined);
  if (refused >= 0) {
    await Promise.all(checks.filter((_, i) => waits[i] === undefined).map(([limit, key]) => limits.give(limit, key)));
    throw new RateLimitedError(checks[refused]![0], Math.max(...waits.map((w) => w ?? 0)));
  }
  const result = await run();
  if (isBadCredentials(result)) return result;
  await Promise.all([
    ...checks.map(([limit, key]) =>
      limit === "signInConsecutive" ? limits.clear(limit, key) : limits.give(limit, key),
    ),
    ...(result.ok ? [limits.rememberAddress(account, address)] : []),
  ]);
  return result;
}
