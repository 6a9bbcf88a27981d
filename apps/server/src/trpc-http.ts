import type { ServerResponse } from "node:http";
import type { AnyTRPCRouter, inferRouterContext, TRPCError } from "@trpc/server";
import { createURL, incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { resolveResponse } from "@trpc/server/http";
import type { FastifyInstance, FastifyRequest } from "fastify";

export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  prefix: string;
  router: TRouter;
  createContext: (opts: { req: FastifyRequest }) => inferRouterContext<TRouter>;
  onError?: (opts: { error: TRPCError; path: string | undefined; req: FastifyRequest }) => void;
}

/**
 * tRPC over HTTP on the Fastify route `<prefix>/:path`: what `fastifyTRPCPlugin` does (its body
 * parsers, tRPC's own `resolveResponse`), without three per-request costs of that adapter that
 * showed in CPU profiles: a full undici `Request` (it follows our abort signal with one of its
 * own, a WeakRef and a finalizer), copying the options object several times, and sending a
 * plain JSON answer as a web stream. A JSON answer is read in one piece and sent with tRPC's
 * status and headers (and a content-length instead of chunked encoding); streamed answers (SSE,
 * JSONL) are sent as before.
 */
export function trpcHttp<TRouter extends AnyTRPCRouter>(app: FastifyInstance, options: TrpcHttpOptions<TRouter>) {
  const { router, createContext, onError } = options;
  app.register((scope, _options, registered) => {
    // As fastifyTRPCPlugin: tRPC parses JSON bodies itself, and reads multipart bodies as streams.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
    scope.removeContentTypeParser("multipart/form-data");
    scope.addContentTypeParser("multipart/form-data", {}, (_req, body, done) => done(null, body));

    scope.all<{ Params: { path: string } }>(`${options.prefix}/:path`, async (req, reply) => {
      const response = await resolveResponse({
        router,
        path: req.params.path,
        req: fetchRequest(req, reply.raw),
        error: null,
        createContext() {
          return Promise.resolve(createContext({ req }));
        },
        onError: onError && (({ error, path }) => onError({ error, path, req })),
      });
      if (response.headers.get("content-type") !== "application/json") return reply.send(response);
      reply.code(response.status);
      for (const [name, value] of response.headers) reply.header(name, value);
      // A Buffer: Fastify would append "; charset=utf-8" to the content type of a string.
      return reply.send(Buffer.from(await response.arrayBuffer()));
    });
    registered();
  });
}

/** What `resolveResponse` reads of a request whose body, if any, Fastify has read as a string. */
type ReadRequest = Pick<Request, "url" | "method" | "headers" | "signal" | "text">;

/**
 * The request as `resolveResponse` takes it. Its signal aborts when the client goes away before
 * the answer is complete (as with tRPC's adapters: subscriptions end with it). A multipart body
 * is still a stream: that request goes through tRPC's own conversion.
 */
function fetchRequest(req: FastifyRequest, res: ServerResponse): Request {
  if (req.body !== undefined && typeof req.body !== "string") {
    return incomingMessageToRequest(Object.assign(req.raw, { body: req.body }), res, { maxBodySize: null });
  }
  const url = createURL(req.raw); // a TRPCError (BAD_REQUEST) for a malformed URL, as before
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableEnded) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(":")) continue; // HTTP/2 pseudo-headers, as tRPC's conversion skips them
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  const body = req.body ?? "";
  const request: ReadRequest = {
    url: url.href,
    method: req.method,
    headers,
    signal: controller.signal,
    text() {
      return Promise.resolve(body);
    },
  };
  // resolveResponse reads no other member for such a body (@trpc/server 11; the tests cover it).
  return request as Request;
}
