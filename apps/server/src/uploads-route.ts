import type { IncomingMessage } from "node:http";
import { RateLimitedError, sessionOf, type ContextDeps } from "@deltacrown/api";
import { isDatabaseUnavailable } from "@deltacrown/db";
import { AppError, resolveSession, uploads, type Actor } from "@deltacrown/domain";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply } from "fastify";
import { refuse } from "./trpc-http.ts";

export interface UploadsRouteOptions {
  deps: ContextDeps;
  /** Whether the request's Origin is trusted (a cookie-authenticated upload needs one: CSRF). */
  trustedOrigin: (headers: Record<string, string | string[] | undefined>) => boolean;
}

/**
 * POST /uploads: the request body is the image's bytes, nothing else (no multipart to parse; its
 * name and content type are never read: the type comes from the bytes). In order, before a byte
 * of the body is read: a declared Content-Length over the cap is refused (413), the session is
 * resolved (401), a cookie session needs a trusted Origin (403), the account's upload limit is
 * taken (429). Then the body is read up to the cap and no further — one byte more and the answer
 * is 413 at once, the rest never read and the connection closed. The domain checks and stores
 * the image (uploads.createUpload); any refusal is tRPC's error envelope with a reason, and
 * writes nothing. Answers 201 with the upload (the shape of `uploads.byId`).
 */
export function registerUploads(app: FastifyInstance, options: UploadsRouteOptions): void {
  const { deps } = options;
  const storage = deps.storage;
  if (!storage) return;
  const cap = uploads.MAX_UPLOAD_BYTES;
  app.register((scope, _options, registered) => {
    // Leave every body unread: the handler streams it itself, up to the cap.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_req, _payload, done) => done(null));
    scope.post("/uploads", async (req, reply) => {
      try {
        const declared = Number(req.headers["content-length"] ?? Number.NaN);
        if (declared > cap) throw uploadTooLarge();
        const { token, tokenSource } = sessionOf(req.headers);
        const actor: Actor | undefined = token
          ? await resolveSession(deps.db, token, deps.config.sessionTtlDays)
          : undefined;
        if (!actor) return refuse(reply, 401, "UNAUTHORIZED", "UNAUTHORIZED", "Sign in first");
        if (tokenSource === "cookie" && !options.trustedOrigin(req.headers))
          return refuse(
            reply,
            403,
            "FORBIDDEN",
            "UNTRUSTED_ORIGIN",
            "Cookie-authenticated uploads are accepted only from the server's own or allow-listed origins",
          );
        for (const [limit, key] of [
          ["general", req.ip],
          ["uploads", `user:${actor.userId}`],
        ] as const) {
          const wait = await deps.limits?.take(limit, key);
          if (wait !== undefined) throw new RateLimitedError(limit, wait);
        }
        const bytes = await readAtMost(req.raw, cap);
        if (!bytes) throw uploadTooLarge();
        const upload = await uploads.createUpload(
          { db: deps.db, cache: deps.cache, config: deps.config, storage },
          actor,
          bytes,
        );
        return reply.code(201).header("cache-control", "no-store").send(upload);
      } catch (error) {
        return refuseError(reply, error);
      }
    });
    registered();
  });
}

const uploadTooLarge = () =>
  new AppError(
    "PAYLOAD_TOO_LARGE",
    `A file may be at most ${uploads.MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    "FILE_TOO_LARGE",
    "file",
  );

/**
 * The body, or undefined as soon as it passes `cap` bytes. Reading then stops (the stream is
 * paused, not destroyed: destroying the request would destroy the socket before the 413 is sent).
 */
function readAtMost(stream: IncomingMessage, cap: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      stream.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        stop();
        stream.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    stream.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** A refusal in tRPC's envelope: a domain error with its code and reason, else 503 or 500. */
function refuseError(reply: FastifyReply, error: unknown) {
  if (error instanceof RateLimitedError)
    return refuse(reply, 429, "TOO_MANY_REQUESTS", "RATE_LIMITED", "Too many uploads: wait a little", {
      retryAfter: error.retryAfter,
    });
  if (error instanceof AppError) {
    const status = getHTTPStatusCodeFromError(new TRPCError({ code: error.code }));
    return refuse(reply, status, error.code, error.reason ?? null, error.message, {
      fieldErrors: error.field ? { [error.field]: [error.message] } : null,
    });
  }
  if (isDatabaseUnavailable(error))
    return refuse(reply, 503, "SERVICE_UNAVAILABLE", null, "The database is unavailable: retry shortly", {
      retryAfter: 1,
      retryable: true,
    });
  reply.request.log.error({ err: error }, "upload failed");
  return refuse(reply, 500, "INTERNAL_SERVER_ERROR", null, "Internal server error");
}
