import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
  wsLink,
  type TRPCLink,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { transportDefaults } from "./transports.ts";
import type { AppRouter, ErrorData, ErrorShape } from "./router.ts";

export type { AppRouter, ErrorData, ErrorShape };
/** Every stable error reason the server sends in `data.reason` (e.g. INVITE_EXPIRED): match on these. */
export type ErrorReason = NonNullable<ErrorData["reason"]>;
/** Input and output types of every procedure, e.g. `RouterOutputs["teams"]["bySlug"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface ClientOptions {
  /** Server origin, e.g. http://127.0.0.1:3000 (the router is mounted at /trpc). */
  url: string;
  /** Bearer session token, or a function returning the current one (after sign-in it changes). */
  token?: string | (() => string | null | undefined) | null | undefined;
  /** Custom fetch (tests, React Native). */
  fetch?: typeof globalThis.fetch;
  /**
   * Browser apps: keep the session in the server's HttpOnly cookie instead of script-readable
   * storage. Every request (subscriptions too) is sent with credentials; `identity.signIn` and
   * `identity.signUp` set the cookie and `identity.signOut` clears it. The app's origin must be
   * the API's own or listed in the server's CORS_ORIGINS (and same-site with it: the cookie is
   * SameSite=Lax).
   */
  cookies?: boolean;
  /**
   * How subscriptions (`live.*`) travel: "sse" (server-sent events on /trpc, the default) or
   * "ws" (one WebSocket at /trpc-ws, opened while a subscription is active). Queries and
   * mutations stay on batched HTTP either way.
   */
  subscriptions?: SubscriptionOptions;
  /**
   * Most calls in one batched request (default 20, the server's BATCH_MAX_CALLS default): more
   * calls in one tick are split over several requests instead of being refused with 413
   * BATCH_TOO_LARGE. Match it to the server's BATCH_MAX_CALLS if that was changed.
   */
  maxBatchItems?: number;
}

/** The server's default BATCH_MAX_CALLS. */
export const DEFAULT_MAX_BATCH_ITEMS = 20;

export interface SubscriptionOptions {
  transport: "sse" | "ws";
  /** A WebSocket class for runtimes without one (Node 20: `import { WebSocket } from "ws"`). */
  WebSocket?: unknown;
  /**
   * An EventSource class for runtimes without one (Node: the `eventsource` package). A class that
   * accepts a `fetch` init option (like `eventsource`) also gets the bearer token as a header.
   */
  EventSource?: unknown;
}

/** Tells the server to put the session into its cookie (the api package's SESSION_MODE_HEADER). */
export const SESSION_MODE_HEADER = "x-deltacrown-session";
/** Procedures that start or end a session: in cookie mode they carry SESSION_MODE_HEADER. */
const SESSION_CALLS = new Set(["identity.signIn", "identity.signUp", "identity.signOut"]);

function subscriptionLink(
  base: string,
  sub: SubscriptionOptions,
  token: () => string | null | undefined,
  cookies: boolean,
): TRPCLink<AppRouter> {
  if (sub.transport === "ws") {
    const ws = createWSClient({
      url: `${base.replace(/^http/, "ws")}/trpc-ws`,
      // Sent as the first message: browsers cannot set headers on a WebSocket.
      connectionParams: () => {
        const t = token();
        return t ? { token: t } : {};
      },
      lazy: { enabled: true, closeMs: 0 },
      ...((sub.WebSocket ?? transportDefaults.WebSocket)
        ? { WebSocket: (sub.WebSocket ?? transportDefaults.WebSocket) as typeof WebSocket }
        : {}),
    });
    return wsLink<AppRouter>({ client: ws });
  }
  return httpSubscriptionLink<AppRouter, typeof EventSource>({
    url: `${base}/trpc`,
    ...((sub.EventSource ?? transportDefaults.EventSource)
      ? { EventSource: (sub.EventSource ?? transportDefaults.EventSource) as typeof EventSource }
      : {}),
    eventSourceOptions: () => {
      const t = token();
      // withCredentials: the cookie goes along to another (allow-listed) origin.
      if (!t) return cookies ? { withCredentials: true } : {};
      const init = {
        fetch: (input: string | URL, req?: RequestInit) =>
          fetch(input, {
            ...req,
            headers: { ...(req?.headers as Record<string, string>), authorization: `Bearer ${t}` },
          }),
      };
      return init as EventSourceInit;
    },
  });
}

/** The typed DeltaCrown client: calls made in the same tick travel in one batched HTTP request. */
export function createClient(options: ClientOptions) {
  const token = () => (typeof options.token === "function" ? options.token() : options.token);
  const base = options.url.replace(/\/$/, "");
  const cookies = options.cookies === true;
  const baseFetch =
    options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const fetchImpl: typeof globalThis.fetch | undefined = cookies
    ? (input, init) => baseFetch(input, { ...init, credentials: "include" })
    : options.fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptionLink(base, options.subscriptions ?? { transport: "sse" }, token, cookies),
        false: httpBatchLink({
          url: `${base}/trpc`,
          maxURLLength: 4000,
          maxItems: options.maxBatchItems ?? DEFAULT_MAX_BATCH_ITEMS,
          headers({ opList }) {
            const headers: Record<string, string> = {};
            const t = token();
            if (t) headers.authorization = `Bearer ${t}`;
            if (cookies && opList.some((op) => SESSION_CALLS.has(op.path))) headers[SESSION_MODE_HEADER] = "cookie";
            return headers;
          },
          ...(fetchImpl ? { fetch: fetchImpl } : {}),
        }),
      }),
    ],
  });
}

export type DeltaCrownClient = ReturnType<typeof createClient>;
export type DeltaCrownClientError = TRPCClientError<AppRouter>;

/** Narrows an unknown error to a DeltaCrown API error with typed `data` (code, reason, fieldErrors). */
export function isApiError(error: unknown): error is DeltaCrownClientError {
  return error instanceof TRPCClientError;
}

export { TRPCClientError };
export { withRetry, canRetry, isTransientFailure, type RetryableCall, type RetryOptions } from "./retry.ts";
export { uploadImage, type ImageBytes, type Upload, type UploadOptions } from "./upload.ts";
