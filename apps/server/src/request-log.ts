import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";

export const REQUEST_ID_HEADER = "x-request-id";

/** A caller's id is kept when it is a plausible id; anything else is replaced, never logged as given. */
const CALLER_ID = /^[\w.:-]{1,128}$/;

/**
 * One line per request instead of Fastify's two ("incoming request", "request completed"):
 * method, path (never the query string: tRPC inputs travel there), status and duration, at info
 * (error, with the error, when the request failed). Fastify's other lines stay as they are.
 */
class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: "requestId" });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const query = request.url.indexOf("?");
    const line = {
      method: request.method,
      path: query < 0 ? request.url : request.url.slice(0, query),
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, "request failed");
    else reply.log.info(line, "request");
  }
}

/**
 * Fastify options for request ids: the caller's `x-request-id` when well formed (a proxy's id
 * stays the same id end to end), else a new UUID; on every log line of the request as `requestId`.
 */
export function requestLogOptions() {
  return {
    requestIdHeader: false,
    logController: new RequestLog(),
    genReqId(req: IncomingMessage): string {
      const given = req.headers[REQUEST_ID_HEADER];
      return typeof given === "string" && CALLER_ID.test(given) ? given : randomUUID();
    },
  } as const;
}

/** Every response carries its request id (`x-request-id`), errors included. */
export function registerRequestId(app: FastifyInstance): void {
  app.addHook("onRequest", (req, reply, done) => {
    reply.header(REQUEST_ID_HEADER, req.id);
    done();
  });
}
