import { JsonText, retryAfterOf } from "@deltacrown/api";
import type { AnyTRPCRouter, inferRouterContext } from "@trpc/server";
import { createURL } from "@trpc/server/adapters/node-http";
import { getHTTPStatusCode, type TRPCRequestInfo } from "@trpc/server/http";
import {
  emptyObject,
  getErrorShape,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isObject,
  isPromise,
  transformTRPCResponse,
  TRPCError,
  urlPathToProcedurePath,
  type AnyProcedure,
  type AnyRootTypes,
  type RootConfig,
  type TRPCErrorShape,
  type TRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import type { FastifyReply, FastifyRequest } from "fastify";

/*
 * The lean query path (issue 14): a GET query, single or batched, answered without tRPC's
 * fetch-API layer. `resolveResponse` builds a `Request`, `Headers`, a `Response` and several
 * promises and closures per call; about two thirds of a cached read's CPU went there. This file
 * does what `resolveResponse` (@trpc/server 11.25, src/unstable-core-do-not-import/http/
 * resolveResponse.ts and contentType.ts) does for exactly that case, step by step and with tRPC's
 * own helpers (getErrorShape, getHTTPStatusCode, transformTRPCResponse): the same procedure object
 * is called with the same options, so input parsing, every middleware (contract ledger, metrics,
 * limits, auth), output validation and the error formatter are tRPC's own.
 *
 * Anything else returns `false` before anything ran, and the official adapter serves it:
 * mutations, subscriptions, POST, HEAD, streaming (`application/jsonl`) batches, connection
 * params, other content types, a malformed URL or path, and lazy routers. The differential test
 * (test/lean-queries.test.ts) sends the same requests both ways and requires byte-identical
 * bodies, equal statuses and equal headers.
 */

export interface LeanQueryOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** A new context object per request (this path sets `acceptsJsonText` on it). */
  createContext: (info: TRPCRequestInfo) => inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  onError?: ((opts: { error: TRPCError; path: string | undefined }) => void) | undefined;
  /** Counts answers written from pre-serialized text (tests prove the path is taken). */
  stats?: { preSerialized: number } | undefined;
}

/** The header tRPC's `responseMeta` hook adds, shared by both paths: when to come back after a refusal. */
export function retryAfterHeader(errors: readonly TRPCError[]): string | undefined {
  const wait = Math.max(0, ...errors.map((e) => retryAfterOf(e) ?? 0));
  return wait > 0 ? String(wait) : undefined;
}

type Call = TRPCRequestInfo["calls"][number];
type Outcome = [TRPCError, undefined] | [undefined, unknown];

/**
 * Serves `req` if it is a GET query this path handles; false (nothing read, nothing run) when the
 * official adapter must.
 */
export function serveLeanQuery<TRouter extends AnyTRPCRouter>(
  req: FastifyRequest<{ Params: { path: string } }>,
  reply: FastifyReply,
  options: LeanQueryOptions<TRouter>,
): false | Promise<FastifyReply> {
  if (req.method !== "GET") return false;
  const headers = req.headers;
  // GET reads JSON whatever its content type, except the two that tRPC refuses on GET.
  const contentType = headers["content-type"];
  if (contentType !== undefined && !/^\s*application\/json\s*(;|$)/i.test(contentType)) return false;
  if (headers["trpc-accept"] !== undefined || headers.accept?.includes("application/jsonl")) return false;
  let url: URL;
  let decoded: string;
  try {
    url = createURL(req.raw);
    decoded = decodeURIComponent(req.params.path);
  } catch {
    return false; // the official adapter reports it
  }
  const searchParams = url.searchParams;
  if (searchParams.has("connectionParams")) return false;

  const router = options.router;
  const config = router._def._config;
  const def = router._def;
  const isBatchCall = searchParams.get("batch") === "1";
  const fullPath = urlPathToProcedurePath(decoded, config.pathSeparator);
  const paths = isBatchCall ? fullPath.split(",") : [fullPath];
  const procedures: (AnyProcedure | null)[] = [];
  let anyFound = false;
  for (const path of paths) {
    const procedure = (def.procedures as Record<string, AnyProcedure | undefined>)[path];
    if (procedure === undefined) {
      if (Object.keys(def.lazy).length > 0) return false; // it may load: tRPC's own lookup does that
      procedures.push(null);
      continue;
    }
    if (typeof procedure !== "function" || procedure._def.type !== "query") return false;
    procedures.push(procedure);
    anyFound = true;
  }

  // The inputs, parsed once and only when a procedure first reads its input (as tRPC's memo).
  let inputs: Record<number, unknown> | undefined;
  let inputsError: TRPCError | undefined;
  const readInputs = (): Record<number, unknown> => {
    if (inputs === undefined && inputsError === undefined) {
      try {
        inputs = parseInputs(searchParams.get("input"), isBatchCall, paths.length, (v) =>
          config.transformer.input.deserialize(v),
        );
      } catch (cause) {
        inputsError =
          cause instanceof TRPCError
            ? cause
            : new TRPCError({
                code: "BAD_REQUEST",
                message: cause instanceof Error ? cause.message : "Invalid input",
                cause,
              });
      }
    }
    if (inputsError) throw inputsError;
    return inputs!;
  };
  const calls: Call[] = paths.map((path, index) => ({
    batchIndex: index,
    path,
    procedure: procedures[index]!,
    // eslint-disable-next-line @typescript-eslint/require-await -- async as tRPC's: a throw becomes a rejection
    getRawInput: async () => readInputs()[index],
    result: () => inputs?.[index],
  }));

  // The request's signal aborts when the client leaves before the answer is complete.
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  const info: TRPCRequestInfo = {
    isBatchCall,
    accept: null,
    calls,
    type: anyFound ? "query" : "unknown",
    connectionParams: null,
    signal: controller.signal,
    url,
  };
  return answer(reply, options, info, controller.signal);
}

/** What tRPC's JSON content-type handler reads from `?input=`. */
function parseInputs(
  queryInput: string | null,
  isBatchCall: boolean,
  count: number,
  deserialize: (value: unknown) => unknown,
): Record<number, unknown> {
  const inputs: unknown = queryInput ? JSON.parse(queryInput) : undefined;
  if (inputs === undefined) return emptyObject();
  const result: Record<number, unknown> = emptyObject();
  if (!isBatchCall) {
    result[0] = deserialize(inputs);
    return result;
  }
  if (!isObject(inputs))
    throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
  for (let index = 0; index < count; index++) {
    const input = inputs[index];
    if (input !== undefined) result[index] = deserialize(input);
  }
  return result;
}

async function answer<TRouter extends AnyTRPCRouter>(
  reply: FastifyReply,
  options: LeanQueryOptions<TRouter>,
  info: TRPCRequestInfo,
  signal: AbortSignal,
): Promise<FastifyReply> {
  const config = options.router._def._config as RootConfig<AnyRootTypes>;
  const onError = options.onError;
  let ctx: unknown;
  let ctxError: TRPCError | undefined;
  try {
    ctx = await options.createContext(info);
    // This path writes a JsonText output as raw bytes: hot reads may answer with their
    // pre-serialized text (@deltacrown/api reads/pre-serialized.ts). Only without a transformer,
    // which would otherwise have to see the value. Set on the request's own context object (a
    // copy of it per request cost a frame of its own in profiles).
    if (isObject(ctx) && writesJsonText(config)) (ctx as { acceptsJsonText?: boolean }).acceptsJsonText = true;
  } catch (cause) {
    ctxError = getTRPCErrorFromUnknown(cause);
  }
  const outcomes = info.calls.map(async (call): Promise<Outcome> => {
    try {
      const procedure = call.procedure;
      if (!procedure) throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${call.path}"` });
      if (ctxError) throw ctxError;
      const data: unknown = await procedure({
        path: call.path,
        getRawInput: call.getRawInput,
        ctx,
        type: "query",
        signal,
        batchIndex: call.batchIndex,
      });
      return [undefined, data];
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      onError?.({ error, path: call.path });
      return [error, undefined];
    }
  });
  const shapeOf = (error: TRPCError, call: Call | undefined, type: "query" | "unknown"): TRPCErrorShape =>
    getErrorShape({ config, ctx, error, input: call?.result(), path: call?.path, type }) as TRPCErrorShape;

  try {
    if (!info.isBatchCall) {
      const call = info.calls[0]!;
      const [error, data] = await outcomes[0]!;
      if (!error && isDataStream(data))
        throw new TRPCError({
          code: "UNSUPPORTED_MEDIA_TYPE",
          message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
        });
      const response: TRPCResponse = error
        ? { error: shapeOf(error, call, info.type as "query" | "unknown") }
        : { result: { data } };
      const errors = error ? [error] : [];
      return send(
        reply,
        getHTTPStatusCode([response], errors),
        errors,
        stringify(transformTRPCResponse(config, response) as TRPCResponse, options.stats),
      );
    }
    const results = (await Promise.all(outcomes)).map(([error, data]): Outcome =>
      !error && isDataStream(data)
        ? [
            new TRPCError({
              code: "UNSUPPORTED_MEDIA_TYPE",
              message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
            }),
            undefined,
          ]
        : ([error, data] as Outcome),
    );
    const responses = results.map(([error, data], index): TRPCResponse => {
      const call = info.calls[index]!;
      return error ? { error: shapeOf(error, call, call.procedure ? "query" : "unknown") } : { result: { data } };
    });
    const errors = results.map(([error]) => error);
    return send(
      reply,
      getHTTPStatusCode(responses, errors),
      errors.filter((e): e is TRPCError => e !== undefined),
      `[${(transformTRPCResponse(config, responses) as TRPCResponse[]).map((item) => stringify(item, options.stats)).join(",")}]`,
    );
  } catch (cause) {
    // As resolveResponse's last resort (a formatter or serializer that throws): one error, no path.
    const error = getTRPCErrorFromUnknown(cause);
    onError?.({ error, path: undefined });
    const response: TRPCResponse = {
      error: getErrorShape({
        config,
        ctx,
        error,
        input: undefined,
        path: undefined,
        type: info.type,
      }) as TRPCErrorShape,
    };
    return send(
      reply,
      getHTTPStatusCode(response, [error]),
      [error],
      JSON.stringify(transformTRPCResponse(config, response)),
    );
  }
}

/** The headers resolveResponse sets on a JSON answer, in the order its `Headers` lists them. */
function send(reply: FastifyReply, status: number, errors: TRPCError[], body: string): FastifyReply {
  reply.code(status);
  reply.header("content-type", "application/json");
  const retryAfter = retryAfterHeader(errors);
  if (retryAfter !== undefined) reply.header("retry-after", retryAfter);
  reply.header("vary", "trpc-accept, accept");
  // A Buffer: Fastify would append "; charset=utf-8" to the content type of a string.
  return reply.send(Buffer.from(body));
}

/**
 * One response item as JSON.stringify writes it, with a pre-serialized output spliced in as it
 * is: `{"result":{"data":` + its text + `}}` is exactly what JSON.stringify makes of the value it
 * was made from (the text is that value's JSON.stringify).
 */
function stringify(item: TRPCResponse, stats?: { preSerialized: number }): string {
  if ("result" in item && item.result.data instanceof JsonText && Object.keys(item).length === 1) {
    const keys = Object.keys(item.result);
    if (keys.length === 1) {
      if (stats) stats.preSerialized++;
      return `{"result":{"data":${item.result.data.text}}}`;
    }
  }
  return JSON.stringify(item);
}

const writesJsonTextOf = new WeakMap<RootConfig<AnyRootTypes>, boolean>();

/** True when the router's output transformer leaves values as they are (no transformer). */
function writesJsonText(config: RootConfig<AnyRootTypes>): boolean {
  let writes = writesJsonTextOf.get(config);
  if (writes === undefined) {
    const probe = {};
    writes = config.transformer.output.serialize(probe) === probe;
    writesJsonTextOf.set(config, writes);
  }
  return writes;
}

/** tRPC's test for data a JSON answer cannot carry (promises or async iterables in it). */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  const values = Object.values(value);
  return values.some(isPromise) || values.some(isAsyncIterable);
}
