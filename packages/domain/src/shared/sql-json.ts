import { sql, type RawBuilder } from "kysely";

/**
 * A JSON value whose leaves may be SQL expressions over the statement's own rows (a column of
 * an insert's RETURNING, a CTE's output): what a job or webhook payload looks like when it is
 * built in the statement that writes the row it names.
 */
export type SqlJson<T> =
  | RawBuilder<T>
  | (T extends readonly (infer E)[] ? readonly SqlJson<E>[] : T extends object ? { [K in keyof T]: SqlJson<T[K]> } : T);

const isExpression = (v: unknown): v is RawBuilder<unknown> =>
  typeof v === "object" && v !== null && typeof (v as { toOperationNode?: unknown }).toOperationNode === "function";

const hasExpression = (v: unknown): boolean =>
  isExpression(v) || (typeof v === "object" && v !== null && Object.values(v).some(hasExpression));

/**
 * The jsonb for `value`: one parameter when it is all known here, else jsonb_build_object /
 * jsonb_build_array around the parts that SQL computes (`to_jsonb(expression)`). Keys whose value
 * is undefined are left out, as JSON.stringify does.
 */
export function jsonbOf(value: unknown): RawBuilder<unknown> {
  if (isExpression(value)) return sql`to_jsonb(${value})`;
  if (!hasExpression(value)) return sql`${JSON.stringify(value ?? null)}::jsonb`;
  if (Array.isArray(value)) return sql`jsonb_build_array(${sql.join(value.map(jsonbOf))})`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return sql`jsonb_build_object(${sql.join(entries.map(([k, v]) => sql`${k}::text, ${jsonbOf(v)}`))})`;
}

/** `value` as json (add_job's payload type): the text as it was before when nothing is computed in SQL. */
export function jsonOf(value: unknown): RawBuilder<unknown> {
  return hasExpression(value) ? sql`(${jsonbOf(value)})::json` : sql`${JSON.stringify(value ?? null)}::json`;
}
