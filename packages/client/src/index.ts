import type { AppRouter, ErrorData } from "@deltacrown/api";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
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
}

/** The typed DeltaCrown client: calls made in the same tick travel in one batched HTTP request. */
export function createClient(options: ClientOptions) {
  const token = () => (typeof options.token === "function" ? options.token() : options.token);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, "")}/trpc`,
        maxURLLength: 4000,
        headers() {
          const t = token();
          return t ? { authorization: `Bearer ${t}` } : {};
        },
        ...(options.fetch ? { fetch: options.fetch } : {}),
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
