import type { Database } from "@deltacrown/db";
import type { Cache, DomainConfig, DomainDeps } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import type { CallReport, ContractMode } from "./contract/enforce.ts";
import type { Metrics } from "./contract/metrics.ts";
import type { AbuseLimits } from "./limits/abuse-limits.ts";

export interface ApiLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Everything a call needs, passed in (tests build it directly; no module-level singletons). */
export interface ContextDeps {
  db: Kysely<Database>;
  cache: Cache;
  config: DomainConfig;
  /** "throw" fails over-budget calls and N+1s (tests); "warn" logs and counts them (production). */
  contractMode: ContractMode;
  metrics?: Metrics | undefined;
  logger?: ApiLogger | undefined;
  /** Sees every call's query ledger; the query-budget tests use it. */
  onCall?: ((report: CallReport) => void) | undefined;
  /** Abuse limits (rate limits); absent: none (in-process tests, benchmarks). */
  limits?: AbuseLimits | undefined;
}

export interface Context extends ContextDeps {
  /** The bearer token, resolved to a user inside each call (so it is counted in that call's ledger). */
  token: string | null;
  /** The client's address (the forwarded one behind a trusted proxy); the key of per-address limits. */
  clientAddress: string | null;
}

export function createContextInner(
  deps: ContextDeps & { token?: string | null | undefined; clientAddress?: string | null | undefined },
): Context {
  return { ...deps, token: deps.token ?? null, clientAddress: deps.clientAddress ?? null };
}

/** `Authorization: Bearer <token>` → token. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1] ?? null;
}

/** The adapter-facing half: reads the request, nothing else. */
export function createContextFactory(deps: ContextDeps) {
  return ({ req }: { req: { headers: Record<string, string | string[] | undefined>; ip?: string } }): Context => ({
    ...deps,
    token: bearerToken(req.headers.authorization),
    clientAddress: req.ip ?? null,
  });
}

export function domainDeps(ctx: Context): DomainDeps {
  return { db: ctx.db, cache: ctx.cache, config: ctx.config };
}
