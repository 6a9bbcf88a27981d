/** Required indexes (required-indexes.ts) against the live catalog: present, missing, or pending. */
import type { MissingIndexFinding, PendingRequirement } from "./findings.ts";
import { leadingColumns } from "./index-shape.ts";
import type { IndexInfo, SchemaCatalog } from "./inspect.ts";
import { describeColumns, describeRequirement, type RequiredIndex } from "./required-indexes.ts";

export interface RequiredIndexResult {
  findings: MissingIndexFinding[];
  pending: PendingRequirement[];
  present: number;
}

export function checkRequiredIndexes(catalog: SchemaCatalog, required: readonly RequiredIndex[]): RequiredIndexResult {
  const result: RequiredIndexResult = { findings: [], pending: [], present: 0 };
  for (const requirement of required) {
    if (!catalog.tables.has(requirement.table) && requirement.since) {
      const arrives = `arrives with the ${requirement.since} migration (${requirement.source})`;
      result.pending.push({
        requirement,
        message: `pending (table not yet created): ${describeRequirement(requirement)} ${arrives}`,
      });
      continue;
    }
    const onTable = catalog.indexes.filter((index) => index.table === requirement.table);
    const satisfied = onTable.some((index) => whyNotSatisfied(index, requirement).length === 0);
    if (satisfied) result.present += 1;
    else result.findings.push(missing(requirement, explainMissing(catalog, onTable, requirement)));
  }
  return result;
}

function missing(requirement: RequiredIndex, detail: string): MissingIndexFinding {
  return {
    kind: "missing-index",
    table: requirement.table,
    columns: requirement.columns,
    unique: requirement.unique ?? false,
    source: requirement.source,
    detail,
    message: `missing-index: ${describeRequirement(requirement)} is required (${requirement.source}) — ${detail}`,
  };
}

/** Every reason `index` fails `requirement`; empty means it satisfies it. */
function whyNotSatisfied(index: IndexInfo, requirement: RequiredIndex): string[] {
  if (!leadsWith(index, requirement)) return ["different leading columns"];
  const reasons: string[] = [];
  if (!index.valid) reasons.push(`${index.name} is invalid (a failed concurrent build?)`);
  if (index.partial) reasons.push(`${index.name} is partial (where ${index.predicate ?? "?"})`);
  if (index.method !== "btree") reasons.push(`${index.name} is a ${index.method} index, not btree`);
  const n = requirement.columns.length;
  if (requirement.unique && !index.unique) reasons.push(`${index.name} is not unique`);
  if (requirement.unique && index.unique && index.keys.length !== n) {
    const actual = describeColumns(
      index.table,
      index.keys.map((key) => key.definition),
    );
    reasons.push(`${index.name} is unique on ${actual}, not on exactly these columns`);
  }
  if (requirement.caseInsensitive) {
    for (const key of index.keys.slice(0, n).filter((k) => k.type !== "citext")) {
      const column = `${index.table}.${key.column ?? key.definition}`;
      reasons.push(`${column} is ${key.type ?? "an expression"}, not citext, so uniqueness is case-sensitive`);
    }
  }
  const carried = new Set([...index.keys.slice(n).map((k) => k.column), ...index.include]);
  const lacking = (requirement.include ?? []).filter((column) => !carried.has(column));
  if (lacking.length > 0) reasons.push(`${index.name} does not include (${lacking.join(", ")})`);
  return reasons;
}

// Expression keys never match: an index on lower(username) does not serve lookups on username.
function leadsWith(index: IndexInfo, requirement: RequiredIndex): boolean {
  const leading = leadingColumns(index, requirement.columns.length);
  return requirement.columns.every((column, i) => leading[i] === column);
}

function explainMissing(catalog: SchemaCatalog, onTable: IndexInfo[], requirement: RequiredIndex): string {
  const columns = catalog.columns.get(requirement.table);
  if (!columns) return `table ${requirement.table} does not exist`;
  const absent = [...requirement.columns, ...(requirement.include ?? [])].filter((column) => !columns.has(column));
  if (absent.length > 0) return `${requirement.table} has no column ${absent.join(", ")}`;
  const nearMisses = onTable.filter((index) => leadsWith(index, requirement));
  if (nearMisses.length === 0) return "no index leads with these columns";
  // Prefer the miss with the fewest problems: usually the one somebody meant to satisfy this.
  const reasons = nearMisses.map((index) => whyNotSatisfied(index, requirement)).sort((a, b) => a.length - b.length)[0];
  return `no usable index: ${(reasons ?? []).join("; ")}`;
}
