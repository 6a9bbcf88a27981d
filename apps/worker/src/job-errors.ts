import { ZodError } from "zod";

interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

const describeIssues = (issues: readonly Issue[]) =>
  `invalid payload: ${issues.map((i) => `${i.path.map(String).join(".") || "(payload)"}: ${i.message}`).join("; ")}`;

/**
 * The error a task throws, as graphile-worker will store it in `last_error` (its message only):
 * a payload that fails its zod schema becomes one readable line instead of zod's JSON dump.
 */
export function storableError(error: unknown): unknown {
  return error instanceof ZodError ? new Error(describeIssues(error.issues), { cause: error }) : error;
}

function isIssueList(value: unknown): value is Issue[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((i) => typeof i === "object" && i !== null && "message" in i && Array.isArray((i as Issue).path))
  );
}

/** A stored `last_error` as one line for `pnpm jobs failed` (older rows may hold zod's JSON dump). */
export function summarizeJobError(lastError: string, maxLength = 200): string {
  let text = lastError.trim();
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isIssueList(parsed)) text = describeIssues(parsed);
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  const line = text.replace(/\s+/g, " ");
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}
