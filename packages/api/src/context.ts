import type { Database } from "@deltacrown/db";
import type { Cache, DomainConfig, DomainDeps, ObjectStorage } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import type { CallReport, ContractMode } from "./contract/enforce.ts";
import type { Metrics } from "./contract/metrics.ts";
import type { AbuseLimits } from "./limits/abuse-limits.ts";
import { sessionCookieToken, type SessionCookie, type TokenSource } from "./session-cookie.ts";
import type { ReadRouting } from "./reads/read-routing.ts";

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
  /** Read replicas (DATABASE_REPLICA_URLS); absent: every statement runs on `db`, the primary. */
  reads?: ReadRouting | undefined;
  /** Where uploaded images are stored (STORAGE_DRIVER); absent: POST /uploads is not served. */
  storage?: ObjectStorage | undefined;
}

export interface Context extends ContextDeps {
  /** The bearer token, resolved to a user inside each call (so it is counted in that call's ledger). */
  token: string | null;
  /** Where the token came from; a cookie needs a trusted Origin for mutations (CSRF). */
  tokenSource: TokenSource | null;
  /** The request's Origin is the server's own or allow-listed (true for callers without one in tests). */
  trustedOrigin: boolean;
  /** The session cookie, where the transport can set one (HTTP): sign-in, sign-up and sign-out use it. */
  sessionCookie: SessionCookie | null;
  /** The client's address (the forwarded one behind a trusted proxy); the key of per-address limits. */
  clientAddress: string | null;
  /** The request's id (x-request-id): on its log lines and in its error responses. */
  requestId: string | null;
  /**
   * The transport writes a `JsonText` output as raw JSON (the server's lean query path): hot reads
   * may then answer from their pre-serialized text (reads/pre-serialized.ts). Unset elsewhere.
   */
  acceptsJsonText?: boolean | undefined;
  /**
   * The primary, for session lookups and cache fills, while `db` is a replica (a
   * replica-declared read); unset when `db` is the primary.
   */
  sessionDb?: Kysely<Database> | undefined;
}

export function createContextInner(
  deps: ContextDeps & {
    token?: string | null | undefined;
    tokenSource?: TokenSource | null | undefined;
    trustedOrigin?: boolean | undefined;
    sessionCookie?: SessionCookie | null | undefined;
    clientAddress?: string | null | undefined;
    requestId?: string | null | undefined;
  },
): Context {
  const token = deps.token ?? null;
  return {
    ...deps,
    token,
    tokenSource: token ? (deps.tokenSource ?? "bearer") : null,
    trustedOrigin: deps.trustedOrigin ?? true,
    sessionCookie: deps.sessionCookie ?? null,
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

/**
 * The call's session token: the Authorization header, else a `token` connection param (tRPC's
 * `connectionParams`, which browsers use where they cannot set headers: SSE and WebSocket), else
 * the session cookie. The first two are sent by the calling script; the cookie by the browser.
 */
export function sessionOf(
  headers: Record<string, string | string[] | undefined>,
  connectionParams?: Record<string, string | undefined> | null,
): { token: string | null; tokenSource: TokenSource | null } {
  const explicit = bearerToken(headers.authorization) ?? connectionParams?.token ?? null;
  if (explicit) return { token: explicit, tokenSource: "bearer" };
  const cookie = sessionCookieToken(headers.cookie);
  return cookie ? { token: cookie, tokenSource: "cookie" } : { token: null, tokenSource: null };
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

/** What the HTTP adapter knows besides the request. */
export interface ContextTransport {
  /** tRPC's request info: its `connectionParams` may carry the token. */
  info?: { connectionParams: Record<string, string | undefined> | null } | undefined;
  /** Whether the request's Origin is trusted (default true: no browser policy in front). */
  trustedOrigin?: boolean | undefined;
  sessionCookie?: SessionCookie | null | undefined;
}

/** The adapter-facing half: reads the request, nothing else. */
export function createContextFactory(deps: ContextDeps) {
  return ({ req, info, trustedOrigin, sessionCookie }: { req: ContextRequest } & ContextTransport): Context => ({
    ...deps,
    logger: req.log ?? deps.logger,
    ...sessionOf(req.headers, info?.connectionParams),
    trustedOrigin: trustedOrigin ?? true,
    sessionCookie: sessionCookie ?? null,
    clientAddress: req.ip ?? null,
    requestId: req.id ?? null,
  });
}

export function domainDeps(ctx: Context): DomainDeps {
  return { db: ctx.db, primary: ctx.sessionDb, cache: ctx.cache, config: ctx.config, storage: ctx.storage };
}
