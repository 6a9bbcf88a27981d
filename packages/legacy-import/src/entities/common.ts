import { textPolicy } from "@deltacrown/domain";
import { sql, type RawBuilder } from "kysely";
import type { Note, Problem } from "../spec.ts";

/** DeltaCrown's slug rule (the API's `slug` schema): what its URLs can address. */
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i;
const MARKUP = /<\/?[a-z!][^>]*>/i;
/** The longest name DeltaCrown's forms accept for teams (createTeamInput). */
const NAME_FORM_LIMIT = 64;

/** Slug problems every slugged entity shares: format, a case twin older than it, taken here. */
export function slugProblems(
  row: { slug: string; slug_dup_of: string | null },
  taken: unknown,
  what: string,
): Problem[] {
  const problems: Problem[] = [];
  if (row.slug.length < 2 || row.slug.length > 48 || !SLUG.test(row.slug))
    problems.push({ reason: "slug_invalid", detail: `slug ${JSON.stringify(row.slug)}` });
  if (row.slug_dup_of !== null)
    problems.push({
      reason: "slug_case_duplicate",
      detail: `slug ${JSON.stringify(row.slug)} differs only in case from ${what} ${row.slug_dup_of}'s`,
    });
  if (Array.isArray(taken) && taken.includes(row.slug.toLowerCase()))
    problems.push({ reason: "slug_taken", detail: `slug ${JSON.stringify(row.slug)} is taken in DeltaCrown` });
  return problems;
}

export function nameProblems(name: string): Problem[] {
  return name.trim() === "" ? [{ reason: "name_blank", detail: "name is blank" }] : [];
}

/** What is odd about a display name that is brought across verbatim anyway. */
export function nameNotes(name: string, slug: string): Note[] {
  const notes: Note[] = [];
  if (MARKUP.test(name)) notes.push({ note: "markup_in_name", detail: `name ${JSON.stringify(name)}` });
  if (textPolicy.readableSlug(name) === "")
    notes.push({ note: "name_slugs_to_nothing", detail: `name ${JSON.stringify(name)}, slug ${slug} kept` });
  if (name.trim().length > NAME_FORM_LIMIT)
    notes.push({ note: "name_over_limit", detail: `${name.trim().length} characters` });
  return notes;
}

/**
 * The oldest id per case-folded key among the batch's keys, joined as `<alias>.first_id`: a row
 * whose first_id is not its own id has an older case twin. One hash aggregate per batch, not a
 * scan per row.
 */
export function caseTwins(table: string, column: string, alias: string): RawBuilder<unknown> {
  const t = sql.table(table);
  const c = sql.ref(column);
  return sql`left join (
      select lower(${c}) as k, min(id) as first_id from ${t}
      where lower(${c}) in (select lower(${sql.ref(`b.${column}`)}) from b)
      group by 1
    ) ${sql.raw(alias)} on ${sql.raw(alias)}.k = lower(${sql.ref(`b.${column}`)})`;
}

/** Lookup column: which of these slugs DeltaCrown's `table` already has (lower-cased). */
export function slugsTaken(table: string, slugs: string[]): RawBuilder<unknown> {
  return sql`(select coalesce(json_agg(lower(slug::text)), '[]'::json) from ${sql.table(table)}
    where slug = any(${slugs}::citext[])) as slugs_taken`;
}

/** Django's roles and statuses are upper-case words; DeltaCrown's lower-case ones. */
export function mapWord<T extends string>(value: string, table: Record<string, T>): T | undefined {
  return Object.hasOwn(table, value) ? table[value] : undefined;
}
