import { isDatabaseUnavailable } from "@deltacrown/db";
import { AppError, isUniqueViolation, type AppErrorCode, type ErrorReason } from "@deltacrown/domain";
import { TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { ZodError } from "zod";
import { ContractViolationError } from "./contract/enforce.ts";
import { RateLimitedError } from "./limits/abuse-limits.ts";

const CODES: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  UNSUPPORTED_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
};

/** Seconds a client waits before retrying a call refused because the database went away. */
export const UNAVAILABLE_RETRY_AFTER_S = 1;

/** A call that failed because the database went away (it did not commit): retryable, as a 503. */
export function isUnavailable(error: TRPCError): boolean {
  return error.code === "SERVICE_UNAVAILABLE" || isDatabaseUnavailable(error.cause);
}

/**
 * Domain errors become their tRPC code; a unique violation nobody anticipated is still a CONFLICT;
 * a lost database connection is SERVICE_UNAVAILABLE (retryable), never an internal error.
 */
export function toTRPCError(error: TRPCError): TRPCError {
  const cause = error.cause;
  if (isDatabaseUnavailable(cause))
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The database is unavailable: retry shortly", cause });
  if (cause instanceof AppError) return new TRPCError({ code: CODES[cause.code], message: cause.message, cause });
  if (isUniqueViolation(cause)) return new TRPCError({ code: "CONFLICT", message: "That already exists", cause });
  return error;
}

export interface ErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string | undefined;
  /** Stable machine-readable reason, e.g. INVITE_EXPIRED: one of the domain's ERROR_REASONS. */
  reason: ErrorReason | null;
  /** Input paths at fault ("username", "roster.0.role") → messages. */
  fieldErrors: Record<string, string[]> | null;
  /** TOO_MANY_REQUESTS, SERVICE_UNAVAILABLE: whole seconds until a retry can succeed (also sent as Retry-After). */
  retryAfter: number | null;
  /**
   * True when the call failed before it could take effect (the database went away): the same
   * call may be sent again — a write only with the same idempotency key (see the client's withRetry).
   */
  retryable: boolean;
  /** The request's id (also its x-request-id header): quote it to find the server's log lines. */
  requestId: string | null;
}

/** The seconds to wait before retrying: a refusal by an abuse limit, or a database that went away. */
export function retryAfterOf(error: TRPCError): number | null {
  if (error.cause instanceof RateLimitedError) return error.cause.retryAfter;
  return isUnavailable(error) ? UNAVAILABLE_RETRY_AFTER_S : null;
}

type Issue = ZodError["issues"][number];

/**
 * A union that failed reports its branches' issues nested under one issue at the union's path;
 * the branch closest to the input (fewest issues) says which field is at fault.
 */
function flatten(
  issues: readonly Issue[],
  prefix: readonly PropertyKey[] = [],
): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, branch) => (branch.length < best.length ? branch : best));
      return flatten(closest, path);
    }
    return [{ path, message: issue.message }];
  });
}

/** Input paths at fault ("customFields.0.label", "(input)" for the whole input) → messages. */
export function zodFieldErrors(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of flatten(error.issues))
    (out[issue.path.map(String).join(".") || "(input)"] ??= []).push(issue.message);
  return out;
}

function fieldErrorsOf(error: TRPCError): Record<string, string[]> | null {
  const cause = error.cause;
  if (cause instanceof ZodError) return zodFieldErrors(cause);
  if (cause instanceof AppError && cause.fieldErrors)
    return Object.fromEntries(Object.entries(cause.fieldErrors).map(([path, message]) => [path, [message]]));
  if (cause instanceof AppError && cause.field) return { [cause.field]: [cause.message] };
  return null;
}

/** The one error formatter: typed data, field paths, and never SQL or stack text to a client. */
export function formatError({
  shape,
  error,
  ctx,
}: {
  shape: { message: string; code: number; data: { code: TRPC_ERROR_CODE_KEY; httpStatus: number; path?: string } };
  error: TRPCError;
  ctx?: { requestId?: string | null } | undefined;
}) {
  const internal = error.code === "INTERNAL_SERVER_ERROR";
  const exposeContract = internal && error.cause instanceof ContractViolationError;
  const data: ErrorData = {
    code: shape.data.code,
    httpStatus: shape.data.httpStatus,
    path: shape.data.path,
    reason: error.cause instanceof AppError ? (error.cause.reason ?? null) : null,
    fieldErrors: fieldErrorsOf(error),
    retryAfter: retryAfterOf(error),
    retryable: isUnavailable(error),
    requestId: ctx?.requestId ?? null,
  };
  return {
    message:
      internal && !exposeContract
        ? "Internal server error"
        : error.code === "BAD_REQUEST" && error.cause instanceof ZodError
          ? "Invalid input"
          : shape.message,
    code: shape.code,
    data,
  };
}
