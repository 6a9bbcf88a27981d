import type { ServerResponse } from "node:http";
import type { ErrorData } from "@deltacrown/api";
import type { AnyTRPCRouter, inferRouterContext, TRPC_ERROR_CODE_KEY, TRPCError } from "@trpc/server";
import { createURL, incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { resolveResponse, type TRPCRequestInfo } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { retryAfterHeader, serveLeanQuery } from "./lean-queries.ts";

export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  prefix: string;
  router: TRouter;
  /** `info` is tRPC's view of the call (its `connectionParams` may carry a token: SSE from a browser). */
  createContext: (opts: {
    req: FastifyRequest;
    reply: FastifyReply;
    info: TRPCRequestInfo;
  }) => inferRouterContext<TRouter>;
  onError?: (opts: { error: TRPCError; path: string | undefined; req: FastifyRequest }) => void;
  /** Most calls in one batched request; a larger batch is refused whole (413) before any runs. */
  maxBatchCalls: number;
  /** GET queries through the lean path (lean-queries.ts); false: everything through resolveResponse. */
  leanQueries: boolean;
  /** Counts requests the lean path answered (the differential test checks it really served). */
  leanStats?: { served: number; preSerialized: number } | undefined;
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
  const { router, createContext, onError, maxBatchCalls, leanQueries, leanStats } = options;
  app.register((scope, _options, registered) => {
    // A body over Fastify's bodyLimit: a typed tRPC error (a batch link hands it to every call).
    scope.setErrorHandler((error: { statusCode?: number }, _req, reply) => {
      if (error.statusCode === 413)
        return refuse(reply, 413, "PAYLOAD_TOO_LARGE", "BODY_TOO_LARGE", "The request body is too large");
      return reply.send(error);
    });
    // As fastifyTRPCPlugin: tRPC parses JSON bodies itself, and reads multipart bodies as streams.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
    scope.removeContentTypeParser("multipart/form-data");
    scope.addContentTypeParser("multipart/form-data", {}, (_req, body, done) => done(null, body));

    scope.all<{ Params: { path: string }; Querystring: { batch?: string } }>(
      `${options.prefix}/:path`,
      async (req, reply) => {
        if (req.query.batch === "1" && countCalls(req.params.path) > maxBatchCalls)
          return refuse(
            reply,
            413,
            "PAYLOAD_TOO_LARGE",
            "BATCH_TOO_LARGE",
            `At most ${maxBatchCalls} calls in one batched request`,
          );
        if (leanQueries) {
          const served = serveLeanQuery(req, reply, {
            router,
            createContext: (info) => createContext({ req, reply, info }),
            onError: onError && (({ error, path }) => onError({ error, path, req })),
            stats: leanStats,
          });
          if (served) {
            if (leanStats) leanStats.served++;
            return served;
          }
        }
        const response = await resolveResponse({
          router,
          path: req.params.path,
          req: fetchRequest(req, reply.raw),
          error: null,
          createContext({ info }) {
            return Promise.resolve(createContext({ req, reply, info }));
          },
          onError: onError && (({ error, path }) => onError({ error, path, req })),
          // A refusal by an abuse limit tells the client when to come back.
          responseMeta({ errors }) {
            const retryAfter = retryAfterHeader(errors);
            return retryAfter === undefined ? {} : { headers: { "retry-after": retryAfter } };
          },
        });
        if (response.headers.get("content-type") !== "application/json") return reply.send(response);
        reply.code(response.status);
        // Not transfer-encoding: a streamed batch (trpc-accept: application/jsonl) is JSON too, and
        // read in one piece here it is sent with a content-length; both headers is invalid HTTP.
        for (const [name, value] of response.headers) if (name !== "transfer-encoding") reply.header(name, value);
        // A Buffer: Fastify would append "; charset=utf-8" to the content type of a string.
        return reply.send(Buffer.from(await response.arrayBuffer()));
      },
    );
    registered();
  });
}

/** Calls in a batched path `a,b,c` (a comma never appears in a procedure path). */
function countCalls(path: string): number {
  let calls = 1;
  for (let i = path.indexOf(","); i !== -1; i = path.indexOf(",", i + 1)) calls++;
  return calls;
}

/**
 * A refusal outside a procedure (before tRPC runs anything, or on a plain route such as
 * POST /uploads), in tRPC's error envelope with our error data; the connection is closed after it
 * (an unread body may follow).
 */
export function refuse(
  reply: FastifyReply,
  status: number,
  code: TRPC_ERROR_CODE_KEY,
  reason: ErrorData["reason"],
  message: string,
  extra: Partial<Pick<ErrorData, "fieldErrors" | "retryAfter" | "retryable">> = {},
) {
  const data: ErrorData = {
    code,
    httpStatus: status,
    reason,
    fieldErrors: extra.fieldErrors ?? null,
    retryAfter: extra.retryAfter ?? null,
    retryable: extra.retryable ?? false,
    requestId: reply.request.id,
  };
  if (data.retryAfter !== null) reply.header("retry-after", String(data.retryAfter));
  return reply
    .code(status)
    .header("connection", "close")
    .send({ error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data } });
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
