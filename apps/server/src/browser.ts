import type { IncomingHttpHeaders } from "node:http";
import cors from "@fastify/cors";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";
import type { FastifyInstance } from "fastify";

/** What browsers may do with this API: which other origins call it, and how the session cookie is set. */
export interface BrowserPolicy {
  /** Origins (scheme://host[:port]) whose pages may call the API with credentials; the server's own is always allowed. */
  corsOrigins: readonly string[];
  /** Session cookies carry `Secure` (everywhere but development over plain http). */
  secureCookies: boolean;
}

/** `CORS_ORIGINS`: a comma list of origins → normalized origins, or undefined when one is not an origin. */
export function parseOrigins(text: string): string[] | undefined {
  const origins: string[] = [];
  for (const item of text.split(",")) {
    const value = item.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== value.replace(/\/$/, ""))
      return undefined;
    origins.push(url.origin);
  }
  return origins;
}

/**
 * Whether a request's Origin is trusted: the server's own (the Origin's host is the Host the
 * request was sent to) or allow-listed. No Origin: not trusted — browsers send one with every
 * POST and WebSocket, so only non-browser clients omit it, and they use bearer tokens.
 */
export function originTrust(policy: BrowserPolicy): (headers: IncomingHttpHeaders) => boolean {
  const allowed = new Set(policy.corsOrigins);
  return (headers) => {
    const origin = headers.origin;
    if (!origin) return false;
    if (allowed.has(origin)) return true;
    const host = headers.host;
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  };
}

/**
 * CORS for the allow-listed origins (credentials included, so cookie sessions work from them;
 * preflights answered before any route, cached 10 minutes) and helmet's security headers. The
 * API serves JSON only, so helmet's defaults fit as they are.
 */
export function registerBrowserPolicy(app: FastifyInstance, policy: BrowserPolicy): void {
  const allowed = new Set(policy.corsOrigins);
  void app.register(cors, {
    // Same-origin requests need no CORS headers; any other origin gets them only when listed.
    origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ["GET", "POST", "OPTIONS"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
  const headers = securityHeaders({
    // A JSON API: no document for a CSP to protect, but deny everything in case one is rendered.
    contentSecurityPolicy: { directives: { "default-src": ["'none'"], "frame-ancestors": ["'none'"] } },
    // Allow-listed origins read answers through CORS; same-site keeps no-cors embedding out.
    crossOriginResourcePolicy: { policy: "same-site" },
  });
  app.addHook("onRequest", (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}

/**
 * helmet's headers for these options, computed once. They depend on nothing in the request, and
 * @fastify/helmet rebuilt helmet (parsing the CSP directives) in two hooks, one of them async, on
 * every request: a measurable share of a cached read's CPU.
 */
export function securityHeaders(options: HelmetOptions): [string, string][] {
  const headers: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  // helmet throws on bad options (v8.1+): start-up fails, as it did with the plugin.
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}
