import { sql, type RawBuilder } from "kysely";
import { conflict, isUniqueViolation } from "./errors.ts";
import { slugFromName, withUniqueSuffix } from "./text-policy.ts";

/** Attempts with a derived slug; only a race for the same slug takes more than one. */
const DERIVED_ATTEMPTS = 3;

export interface SlugSource {
  /** A slug the caller chose: used as is, CONFLICT (SLUG_TAKEN, field `slug`) when taken. */
  slug?: string | undefined;
  /** Else the slug comes from the name (text policy), `<kind>-<short id>` when nothing transliterates. */
  name: string;
  kind: string;
  /** The table whose `slug` column is unique, and the name of that unique index. */
  table: "teams" | "organizations" | "tournaments";
  constraint: string;
}

/** The value to insert as the slug: the chosen one, or an expression that picks a free derived one. */
export type SlugValue = string | RawBuilder<string>;

/**
 * Runs `create` (one transaction that inserts the row with `slug` and returns the slug stored)
 * and returns that slug. A derived slug is unique without an extra statement: the insert itself
 * takes the readable slug, or — when it is taken — the same with a short random suffix
 * ("crown-academy-x7k2m9"), so every name yields a slug that can be fetched. Two concurrent
 * inserts of one slug still meet the unique index; the loser tries again.
 */
export async function createWithSlug(
  source: SlugSource,
  create: (slug: SlugValue) => Promise<string>,
): Promise<string> {
  const base = source.slug ?? slugFromName(source.name, source.kind);
  for (let attempt = 1; ; attempt++) {
    const value: SlugValue =
      source.slug ??
      sql<string>`case when exists (select 1 from ${sql.table(source.table)} where slug = ${base})
        then ${withUniqueSuffix(base)} else ${base} end`;
    try {
      return await create(value);
    } catch (error) {
      if (!isUniqueViolation(error, source.constraint)) throw error;
      if (source.slug !== undefined || attempt >= DERIVED_ATTEMPTS)
        throw conflict(
          `The ${source.kind} slug "${base}" is taken`,
          "SLUG_TAKEN",
          source.slug !== undefined ? "slug" : "name",
        );
    }
  }
}
