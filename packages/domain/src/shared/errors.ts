import type { ErrorReason } from "./error-reasons.ts";

export { ERROR_REASONS, type ErrorReason } from "./error-reasons.ts";

/**
 * The one typed domain error. The API maps `code` to a tRPC code; `reason` is a stable,
 * machine-readable detail for clients (e.g. INVITE_EXPIRED); `field` names the input path at fault.
 */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE";

export class AppError extends Error {
  override readonly name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly reason?: ErrorReason,
    readonly field?: string,
    /** Every input path at fault with its own message, when more than one field can be wrong at once. */
    readonly fieldErrors?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const notFound = (what: string, field?: string) =>
  new AppError("NOT_FOUND", `${what} not found`, "NOT_FOUND", field);
export const forbidden = (message = "You may not do this") => new AppError("FORBIDDEN", message, "FORBIDDEN");
export const unauthorized = (message = "Sign in first") => new AppError("UNAUTHORIZED", message, "UNAUTHORIZED");
export const conflict = (message: string, reason: ErrorReason, field?: string) =>
  new AppError("CONFLICT", message, reason, field);
export const badRequest = (message: string, reason: ErrorReason, field?: string) =>
  new AppError("BAD_REQUEST", message, reason, field);
/** Several fields wrong at once (a registration form): each path with its message, the first as `field`. */
export const invalidFields = (message: string, errors: Readonly<Record<string, string>>) =>
  new AppError("BAD_REQUEST", message, "INVALID_FIELDS", Object.keys(errors)[0], errors);
export const preconditionFailed = (message: string, reason: ErrorReason) =>
  new AppError("PRECONDITION_FAILED", message, reason);

interface PgError {
  code?: string;
  constraint?: string;
}

/** A unique violation raised by Postgres (the race a code-level check cannot close). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PgError | null;
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}
