/** Small predicates about what an index can serve, shared by the three checks. */
import type { IndexInfo, IndexKey } from "./inspect.ts";

/**
 * Can the planner use this index for any lookup on its leading columns? Partial indexes only serve
 * queries that repeat their predicate, invalid ones (a failed CREATE INDEX CONCURRENTLY) serve none,
 * and "leading columns" only means something for btree.
 */
export function servesLeadingColumnLookups(index: IndexInfo): boolean {
  return index.valid && !index.partial && index.method === "btree";
}

/** Plain column names of the first `count` keys; null where a key is an expression or absent. */
export function leadingColumns(index: IndexInfo, count: number): (string | null)[] {
  return Array.from({ length: count }, (_, i) => index.keys[i]?.column ?? null);
}

export function keyColumns(index: IndexInfo): string[] {
  return index.keys.map((key) => key.definition);
}

const DESC = 1;
const NULLS_FIRST = 2;

/**
 * Do `prefix` keys match the first keys of `keys` for every query they could serve? Same column or
 * expression, operator class and collation, and the same sort order — or the exact reverse, since a
 * btree scans backwards as well.
 */
export function keysArePrefix(prefix: readonly IndexKey[], keys: readonly IndexKey[]): boolean {
  if (prefix.length > keys.length) return false;
  let sameOrder = true;
  let reversed = true;
  for (const [i, a] of prefix.entries()) {
    const b = keys[i];
    if (!b || a.definition !== b.definition || a.opclass !== b.opclass || a.collation !== b.collation) return false;
    if (a.option !== b.option) sameOrder = false;
    if (a.option !== (b.option ^ (DESC | NULLS_FIRST))) reversed = false;
  }
  return sameOrder || reversed;
}
