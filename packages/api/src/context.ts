import type { Database } from "@deltacrown/db";
import type { Cache, DomainConfig, DomainDeps } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import type { CallReport, ContractMode } from "./contract/enforce.ts";
import type { Metrics } from "./contract/metrics.ts";
import type { AbuseLimits } from "./limits/abuse-limits.ts";

export interface ApiLogger {
  /** Optional: a logger without it (tests) simply gets no per-call lines. */
  debug?(obj: object, msg: string): void;
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
  /** The request's id (x-request-id): on its log lines and in its error responses. */
  requestId: string | null;
}

export function createContextInner(
  deps: ContextDeps & {
    token?: string | null | undefined;
    clientAddress?: string | null | undefined;
    requestId?: string | null | undefined;
  },
): Context {
  return {
    ...deps,
    token: deps.token ?? null,
    clientAddress: deps.clientAddress ?? null,
    requestId: deps.requestId ?? null,
  };
}

/** `Authorization: Bearer <token>` → token. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1] ?? null;
}

/** What the context reads of an HTTP request (Fastify's request has all of it). */
export interface ContextRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client's address (Fastify's, after the trusted-proxy rule). */
  ip?: string;
  /** The request id the server assigned. */
  id?: string;
  /** A logger bound to this request (its lines carry the request id). */
  log?: ApiLogger;
}

/** The adapter-facing half: reads the request, nothing else. */
export function createContextFactory(deps: ContextDeps) {
  return ({ req }: { req: ContextRequest }): Context => ({
    ...deps,
    logger: req.log ?? deps.logger,
    token: bearerToken(req.headers.authorization),
    clientAddress: req.ip ?? null,
    requestId: req.id ?? null,
  });
}

export function domainDeps(ctx: Context): DomainDeps {
  return { db: ctx.db, cache: ctx.cache, config: ctx.config };
}
