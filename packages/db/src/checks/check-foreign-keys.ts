/**
 * Every foreign key needs an index on its referencing columns: without one, each delete or key update
 * on the referenced table scans the referencing table (and holds its lock while doing so).
 */
import type { UnindexedForeignKeyFinding } from "./findings.ts";
import { leadingColumns, servesLeadingColumnLookups } from "./index-shape.ts";
import type { ForeignKeyInfo, IndexInfo, SchemaCatalog } from "./inspect.ts";
import { describeColumns } from "./required-indexes.ts";

export interface ForeignKeyResult {
  findings: UnindexedForeignKeyFinding[];
  covered: number;
}

export function checkForeignKeys(catalog: SchemaCatalog): ForeignKeyResult {
  const result: ForeignKeyResult = { findings: [], covered: 0 };
  for (const foreignKey of catalog.foreignKeys) {
    const onTable = catalog.indexes.filter((index) => index.table === foreignKey.table);
    if (onTable.some((index) => covers(index, foreignKey))) {
      result.covered += 1;
      continue;
    }
    const where = describeColumns(foreignKey.table, foreignKey.columns);
    result.findings.push({
      kind: "unindexed-foreign-key",
      table: foreignKey.table,
      columns: foreignKey.columns,
      referencedTable: foreignKey.referencedTable,
      constraint: foreignKey.name,
      message: `unindexed-foreign-key: ${where} references ${foreignKey.referencedTable} (${foreignKey.name}) but no valid, non-partial index leads with those columns — deletes on ${foreignKey.referencedTable} scan ${foreignKey.table}`,
    });
  }
  return result;
}

// The FK's columns must be the index's leading keys; their order among themselves doesn't matter,
// since the referential lookups are equality on all of them. A partial index serves them only if
// its predicate is exactly "the (single) column is not null": an equality lookup never matches a
// null, so rows left out are rows no delete on the referenced table can concern (an optional
// reference that is mostly null then costs its writers nothing).
function covers(index: IndexInfo, foreignKey: ForeignKeyInfo): boolean {
  const notNullOnly =
    index.partial && foreignKey.columns.length === 1 && index.predicate === `(${foreignKey.columns[0]} IS NOT NULL)`;
  if (!servesLeadingColumnLookups(notNullOnly ? { ...index, partial: false } : index)) return false;
  const leading = new Set(leadingColumns(index, foreignKey.columns.length));
  return foreignKey.columns.every((column) => leading.has(column));
}
