import { isApiError, type ErrorData } from "@deltacrown/client";

/** The server's typed error data (errorFormatter in the API), or undefined for a network failure. */
function dataOf(error: unknown): Partial<ErrorData> | undefined {
  return isApiError(error) ? (error.data as Partial<ErrorData> | undefined) : undefined;
}

/** The server's message for a failed call, or a plain one for a network failure. */
export function messageOf(error: unknown): string {
  if (isApiError(error)) {
    const data = dataOf(error);
    // UNAUTHORIZED with a reason (BAD_CREDENTIALS) is the server's own words; without one the
    // session is gone, which the session notice explains.
    if (data?.code === "UNAUTHORIZED" && !data.reason) return "Please sign in again: your session has ended.";
    if (data?.code === "TOO_MANY_REQUESTS")
      return `Too many requests. Try again in ${data.retryAfter ?? "a few"} seconds.`;
    if (data?.code === "INTERNAL_SERVER_ERROR") return "Something went wrong on our side. Please try again.";
    return error.message;
  }
  if (error instanceof Error && /fetch|network/i.test(error.message))
    return "Cannot reach the server. Check your connection.";
  return "Something went wrong. Please try again.";
}

/** Messages the server put on one input field (`fieldErrors` keyed by input path). */
export function fieldMessages(error: unknown, field: string): string[] {
  return dataOf(error)?.fieldErrors?.[field] ?? [];
}

/** A message for the form as a whole: only when no field of `fields` already shows it. */
export function formMessage(error: unknown, fields: readonly string[]): string | null {
  if (!error) return null;
  if (fields.some((f) => fieldMessages(error, f).length > 0)) return null;
  return messageOf(error);
}

export function codeOf(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function reasonOf(error: unknown): string | null | undefined {
  return dataOf(error)?.reason;
}
