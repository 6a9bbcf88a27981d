import { AppError, resolveSession, type Actor, type CacheFamily } from "@deltacrown/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { middlewareMarker, type MiddlewareResult } from "@trpc/server/unstable-core-do-not-import";
import type { Context } from "./context.ts";
import { recordBusinessEvent } from "./contract/business-metrics.ts";
import { ContractViolationError, measureCall } from "./contract/enforce.ts";
import type { Category, ProcedureMeta } from "./contract/categories.ts";
import { formatError, toTRPCError } from "./errors.ts";
import { addressOf, guard, guardSignIn } from "./limits/guards.ts";
import type { LimitName } from "./limits/limits-config.ts";
import { budgets } from "./contract/budgets.ts";
import { currentLedger } from "@deltacrown/db";
import { isUnreachable } from "./reads/read-routing.ts";
import { fillPreSerialized, preSerializedHit, type SourcesOf } from "./reads/pre-serialized.ts";

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({ errorFormatter: formatError, isDev: false });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The contract, around every call: its own query ledger (the session lookup included),
 * metrics, domain-error mapping, and the budget/N+1 check — fatal in tests, a warning and a
 * metric in production.
 */
const contract = t.middleware(async ({ ctx, meta, path, next }) => {
  if (!meta) throw new Error(`procedure ${path} has no contract category`);
  const { result, report } = await measureCall(path, meta.category, () => next());
  const { metrics, logger } = ctx;
  const queries = report.ledger.count;
  metrics?.procedureDuration.observe({ path, category: meta.category }, report.durationMs / 1000);
  metrics?.procedureQueries.observe({ path }, queries);
  if (report.ledger.retries > 0) metrics?.transactionRetries.inc({ scope: path }, report.ledger.retries);
  for (const slow of metrics?.queries.observe(report.ledger, "procedure") ?? []) logger?.warn(slow, "slow query");
  logger?.debug?.(
    { path, category: meta.category, queries, durationMs: Math.round(report.durationMs * 100) / 100, ok: result.ok },
    "procedure",
  );
  ctx.onCall?.(report);
  for (const v of report.violations) metrics?.budgetViolations.inc({ path, kind: v.kind });
  if (report.violations.length > 0) {
    if (ctx.contractMode === "throw") throw new ContractViolationError(report);
    logger?.warn({ path, queries, violations: report.violations }, "contract violation");
  }
  if (!result.ok) {
    const error = toTRPCError(result.error);
    metrics?.procedureErrors.inc({ path, code: error.code });
    throw error;
  }
  if (metrics) recordBusinessEvent(metrics, path, result.data);
  return result;
});

const replicaReads: ReadonlySet<string> = new Set(
  Object.entries(budgets as Record<string, { reads?: string }>)
    .filter(([, budget]) => budget.reads === "replica")
    .map(([path]) => path),
);

/** The call's session on the primary (one statement), or undefined: no token, or one that no longer resolves. */
const sessionViewer = (ctx: Context): Promise<Actor | undefined> =>
  ctx.token
    ? resolveSession(ctx.sessionDb ?? ctx.db, ctx.token, ctx.config.sessionTtlDays)
    : Promise.resolve(undefined);

const authenticate = t.middleware(async ({ ctx, next }) => {
  const actor = await sessionViewer(ctx);
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { actor } });
});

/**
 * Who is looking, for public reads whose answer depends on it (a draft tournament shows only to
 * its organizers): the session when a token is sent (one statement), else anonymous. A token that
 * no longer resolves reads as anonymous: public data stays readable with a stale session.
 */
const identifyViewer = t.middleware(async ({ ctx, next }) => {
  const viewer = await sessionViewer(ctx);
  return next({ ctx: { viewer } });
});

/**
 * Who is looking, asked only when the answer needs it (`ctx.lookupViewer()`, at most one
 * statement a call): a cached public read whose answer differs only for some viewers (a team page
 * with a members-only roster) stays query-free for everyone else.
 */
const viewerOnDemand = t.middleware(({ ctx, next }) => {
  let viewer: Promise<Actor | undefined> | undefined;
  const lookupViewer = () => (viewer ??= sessionViewer(ctx));
  return next({ ctx: { lookupViewer } });
});

/**
 * CSRF: a browser sends the session cookie with any page's request, so a mutation that the cookie
 * authenticates (or that asks for one: sign-in and sign-up in cookie mode) must come from a trusted
 * Origin — the server's own or one in CORS_ORIGINS. Bearer tokens are sent by the caller's own
 * code and need no check. Queries and subscriptions change nothing; CORS keeps their answers from
 * other origins' scripts.
 */
function checkOrigin(ctx: Context, type: string): void {
  if (
    type === "mutation" &&
    !ctx.trustedOrigin &&
    (ctx.tokenSource === "cookie" || ctx.sessionCookie?.requested === true)
  )
    throw new AppError(
      "FORBIDDEN",
      "Cookie-authenticated changes are accepted only from the server's own or allow-listed origins",
      "UNTRUSTED_ORIGIN",
    );
}

/**
 * Read routing, as each procedure's budget declares it: a replica-declared query runs its reads on
 * a replica that is up, within the lag bound and past this session's last write; anything else on
 * the primary. A replica found unreachable mid-call is reported and the call runs again on the
 * primary (its failed statements stay on record, out of the budget). After a mutation, the
 * session's read-your-writes position is recorded.
 */
async function routeReads(
  ctx: Context,
  path: string,
  type: string,
  next: (opts?: { ctx: Partial<Context> }) => Promise<MiddlewareResult<Context>>,
): Promise<MiddlewareResult<Context>> {
  const reads = ctx.reads;
  if (!reads) return next();
  if (type === "mutation") {
    if (replicaReads.has(path)) throw new Error(`${path} is a mutation and cannot read from a replica`);
    const result = await next();
    if (result.ok) await reads.noteWrite(ctx.token);
    return result;
  }
  if (!replicaReads.has(path)) return next();
  const replica = await reads.readerFor(ctx.token);
  if (!replica) return next();
  const ledger = currentLedger();
  const from = ledger?.entries.length ?? 0;
  const result = await next({ ctx: { db: replica.db, sessionDb: ctx.db } });
  if (result.ok || !isUnreachable(result.error)) return result;
  reads.replicas.reportUnreachable(replica.server, result.error);
  ctx.metrics?.replicaFallbacks.inc({ reason: "down" });
  ledger?.markRetried(from);
  return next();
}

/**
 * Every public call's gate, one middleware (each middleware hop copies tRPC's call options): the
 * origin check, then the general per-address limit (each call of a batch counts, once), then read
 * routing around the rest of the call.
 */
const gate = t.middleware(async ({ ctx, path, type, next }) => {
  checkOrigin(ctx, type);
  if (ctx.limits) await guard(ctx, "general", addressOf(ctx));
  return routeReads(ctx, path, type, next);
});

/** A public procedure of the given contract category. */
export const publicProcedure = (category: Category) =>
  t.procedure.meta({ category, access: "public" }).use(contract).use(gate);

/** A per-address abuse limit on this procedure (before the session lookup: anonymous callers too). */
export const limitPerAddress = (limit: LimitName) =>
  t.middleware(async ({ ctx, next }) => {
    await guard(ctx, limit, addressOf(ctx));
    return next();
  });

/** A per-account abuse limit on this procedure; use after `authedProcedure` (it needs the actor). */
export const limitPerAccount = (limit: LimitName) =>
  t.middleware(async ({ ctx, next }) => {
    const actor = (ctx as Context & { actor?: Actor }).actor;
    if (!actor) throw new Error(`limit ${limit} per account needs a signed-in procedure`);
    await guard(ctx, limit, `user:${actor.userId}`);
    return next();
  });

/** The sign-in limits (per address, per account and address, per account); see guardSignIn. */
export const signInLimits = t.middleware(async ({ ctx, input, next }) =>
  guardSignIn(ctx, (input as { login: string }).login, () => next()),
);

/** A public procedure that knows its viewer (`ctx.viewer`, undefined when anonymous). */
export const viewerProcedure = (category: Category) =>
  publicProcedure(category).meta({ category, access: "viewer" }).use(identifyViewer);

/**
 * A public procedure whose answer may depend on its viewer, looked up on demand:
 * `ctx.lookupViewer()` (undefined when anonymous). Calls that never ask cost no session lookup.
 */
export const viewerOnDemandProcedure = (category: Category) =>
  publicProcedure(category).meta({ category, access: "viewer" }).use(viewerOnDemand);

/** A procedure that needs a live session; `ctx.actor` is the signed-in user. */
export const authedProcedure = (category: Category) =>
  publicProcedure(category).meta({ category, access: "authed" }).use(authenticate);

/** What the stored text of a pre-serialized read is, as to viewers. */
export interface PreSerializedOptions {
  /**
   * For a read whose answer may depend on its viewer: true when this output is every viewer's
   * answer (evaluated on the output when it is stored, and kept with it). Signed-in callers are
   * served and store only such texts; an output for which it is false is stored only from an
   * anonymous call and served only to anonymous callers. Absent: the answer never depends on the
   * viewer (every output is every viewer's).
   */
  sameForEveryViewer?: (output: unknown) => boolean;
}

const everyOutput = () => true;

/**
 * Pre-serialized hits (reads/pre-serialized.ts), for a hot read whose transport writes raw JSON:
 * put between `.input()` and `.output()`, so a hit skips the resolver and the output validation
 * (the stored text is a validated output), and a miss stores what `.output()` validated. Every
 * middleware before it (contract, limits, read routing) runs either way. `onHit`: what the
 * resolver does besides computing the value (a view count).
 */
export const preSerialized = <I>(
  sourcesOf: SourcesOf<I>,
  onHit?: (ctx: Context, input: I) => void,
  options: PreSerializedOptions = {},
) => {
  const viewers = { signedIn: false, everyViewer: options.sameForEveryViewer ?? everyOutput };
  const signedInViewers = { ...viewers, signedIn: true };
  return t.middleware(async ({ ctx, path, input, next }) => {
    if (!ctx.acceptsJsonText) return next();
    const peek = (family: CacheFamily, id: string | number) => ctx.cache.peekText(family, id);
    const now = sourcesOf(input as I, peek);
    if (!now) return next();
    // A token that no longer resolves counts as signed in here: it is only ever served less.
    const signedIn = ctx.token !== null;
    const key = `${path}\u0000${JSON.stringify(input)}`;
    const hit = preSerializedHit(ctx.cache, key, now, signedIn);
    if (!hit)
      return fillPreSerialized(
        ctx.cache,
        key,
        () => sourcesOf(input as I, peek),
        () => next(),
        signedIn ? signedInViewers : viewers,
      );
    onHit?.(ctx, input as I);
    return { ok: true as const, data: hit, marker: middlewareMarker };
  });
};
