import type { AppRouter, ErrorData } from "@deltacrown/api";
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

export type { AppRouter, ErrorData };
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
   * How subscriptions (`live.*`) travel: "sse" (server-sent events on /trpc, the default) or
   * "ws" (one WebSocket at /trpc-ws, opened while a subscription is active). Queries and
   * mutations stay on batched HTTP either way.
   */
  subscriptions?: SubscriptionOptions;
}

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

function subscriptionLink(
  base: string,
  sub: SubscriptionOptions,
  token: () => string | null | undefined,
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
      ...(sub.WebSocket ? { WebSocket: sub.WebSocket as typeof WebSocket } : {}),
    });
    return wsLink<AppRouter>({ client: ws });
  }
  return httpSubscriptionLink<AppRouter, typeof EventSource>({
    url: `${base}/trpc`,
    ...(sub.EventSource ? { EventSource: sub.EventSource as typeof EventSource } : {}),
    eventSourceOptions: () => {
      const t = token();
      if (!t) return {};
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
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptionLink(base, options.subscriptions ?? { transport: "sse" }, token),
        false: httpBatchLink({
          url: `${base}/trpc`,
          maxURLLength: 4000,
          headers() {
            const t = token();
            return t ? { authorization: `Bearer ${t}` } : {};
          },
          ...(options.fetch ? { fetch: options.fetch } : {}),
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
