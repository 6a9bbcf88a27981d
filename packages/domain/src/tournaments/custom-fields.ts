import { normalizePlainText, plainTextProblem } from "../shared/text-policy.ts";
import type { CustomFieldDto } from "./tournaments.dto.ts";

export type FieldValue = string | number | boolean;
export type FieldErrors = Record<string, string>;

/** In-game ids: a name, optionally `#tag` (Riot) — letters, digits, spaces and a few separators. */
const IN_GAME_ID = /^[\p{L}\p{N} _.-]{2,32}(#[\p{L}\p{N}]{2,8})?$/u;

/**
 * Validates registration answers against the tournament's own field definitions. Returns the
 * cleaned values and, per field, what is wrong (keyed `fields.<key>`, the input path at fault).
 */
export function validateCustomFields(
  definitions: readonly CustomFieldDto[],
  values: Readonly<Record<string, unknown>>,
): { values: Record<string, FieldValue>; errors: FieldErrors } {
  const out: Record<string, FieldValue> = {};
  const errors: FieldErrors = {};
  const known = new Set(definitions.map((d) => d.key));
  for (const key of Object.keys(values)) if (!known.has(key)) errors[`fields.${key}`] = "Unknown field";
  for (const def of definitions) {
    const path = `fields.${def.key}`;
    const raw = values[def.key];
    const empty = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
    if (empty) {
      if (def.required && def.kind !== "checkbox") errors[path] = `${def.label} is required`;
      else if (def.required && def.kind === "checkbox") errors[path] = `${def.label} must be checked`;
      continue;
    }
    switch (def.kind) {
      case "text": {
        // A registrant's answer is shown to organizers: plain text under the one text policy.
        const text = typeof raw === "string" ? normalizePlainText(raw) : undefined;
        const problem = text === undefined ? null : plainTextProblem(text);
        if (text === undefined || text.length > 500) errors[path] = "Expected text (at most 500 characters)";
        else if (problem) errors[path] = `${def.label} ${problem.message}`;
        else out[def.key] = text;
        break;
      }
      case "number": {
        const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
        if (!Number.isFinite(n)) errors[path] = "Expected a number";
        else out[def.key] = n;
        break;
      }
      case "select":
        if (typeof raw !== "string" || !def.options.includes(raw))
          errors[path] = `Choose one of: ${def.options.join(", ")}`;
        else out[def.key] = raw;
        break;
      case "checkbox":
        if (typeof raw !== "boolean") errors[path] = "Expected true or false";
        else if (def.required && !raw) errors[path] = `${def.label} must be checked`;
        else out[def.key] = raw;
        break;
      case "in_game_id":
        if (typeof raw !== "string" || !IN_GAME_ID.test(raw.trim())) errors[path] = "Not a valid in-game id";
        else out[def.key] = raw.trim();
        break;
    }
  }
  return { values: out, errors };
}
