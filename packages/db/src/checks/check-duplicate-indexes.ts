/**
 * Redundant indexes: ones whose every use another index on the same table already serves. They cost
 * write amplification and memory for nothing.
 */
import type { DuplicateIndexFinding } from "./findings.ts";
import { keyColumns, keysArePrefix } from "./index-shape.ts";
import type { IndexInfo, SchemaCatalog } from "./inspect.ts";
import { describeColumns } from "./required-indexes.ts";

export function checkDuplicateIndexes(catalog: SchemaCatalog): DuplicateIndexFinding[] {
  const findings: DuplicateIndexFinding[] = [];
  const usable = catalog.indexes.filter((index) => index.valid);
  for (const index of usable) {
    const coveredBy = usable.find((other) => other !== index && isRedundantTo(index, other));
    if (!coveredBy) continue;
    const identical = index.keys.length === coveredBy.keys.length;
    findings.push({
      kind: "duplicate-index",
      table: index.table,
      index: index.name,
      columns: keyColumns(index),
      coveredBy: coveredBy.name,
      coveredByColumns: keyColumns(coveredBy),
      message:
        `duplicate-index: ${index.name} on ${describeColumns(index.table, keyColumns(index))} is redundant: ` +
        `its keys are ${identical ? "identical to" : "a leading prefix of"} ` +
        `${coveredBy.unique ? "unique " : ""}${coveredBy.name} on ${describeColumns(coveredBy.table, keyColumns(coveredBy))}`,
    });
  }
  return findings;
}

/**
 * `index` is redundant to `other` when `other` serves every lookup, ordering and uniqueness guarantee
 * `index` provides: same table, method and predicate; keys a prefix of (or identical to) `other`'s;
 * INCLUDE columns carried by `other`. A unique index is only redundant to an identical unique one.
 */
function isRedundantTo(index: IndexInfo, other: IndexInfo): boolean {
  if (index.table !== other.table || index.method !== other.method || index.predicate !== other.predicate) return false;
  const identical = index.keys.length === other.keys.length;
  // Prefixes only mean something for btree.
  if (!identical && index.method !== "btree") return false;
  if (!keysArePrefix(index.keys, other.keys)) return false;
  const carried = new Set([...other.keys.map((key) => key.column), ...other.include]);
  if (!index.include.every((column) => carried.has(column))) return false;
  if (index.unique && !(other.unique && identical)) return false;
  if (!identical || index.unique !== other.unique) return true;
  // Interchangeable pair: report only one — the one carrying fewer INCLUDE columns, else the one no
  // constraint relies on, else the later name.
  if (index.include.length !== other.include.length) return index.include.length < other.include.length;
  if ((index.constraint === null) !== (other.constraint === null)) return index.constraint === null;
  return index.name > other.name;
}
