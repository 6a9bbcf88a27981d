/** Fingerprints by statement text: every call of a procedure runs the same few texts again. */
const shapes = new Map<string, string>();

/**
 * Normalizes a SQL statement into a fingerprint: the same query shape with any parameters,
 * literal values, IN-list length or number of VALUES rows gives the same fingerprint, so
 * "one query with 3 ids" and "one with 30" count as one shape and a loop of single-row
 * queries shows up as repeats of one shape.
 */
export function fingerprint(sql: string): string {
  let shape = shapes.get(sql);
  if (shape === undefined) {
    shape = normalize(sql);
    // Bounded: values travel as parameters, so the texts are a few hundred (IN-list lengths vary them).
    if (shapes.size < 10_000) shapes.set(sql, shape);
  }
  return shape;
}

function normalize(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, " ")
    .replace(/'(?:[^']|'')*'/g, "?") // string literals
    .replace(/\$\d+/g, "?") // bind parameters
    .replace(/(?<![\w."])-?\d+(?:\.\d+)?\b/g, "?") // numeric literals, not digits inside identifiers
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase()
    .replace(/\(\s*\?(?:\s*,\s*\?)+\s*\)/g, "(?+)") // in (?, ?, ?) → in (?+)
    .replace(/\bvalues\s*(\((?:[^()]|\([^()]*\))*\))(?:\s*,\s*\((?:[^()]|\([^()]*\))*\))+/g, "values $1"); // many rows → the one-row shape
}

const TRANSACTION_CONTROL =
  /^\s*(begin|start transaction|commit|end|rollback|savepoint|release|set (local )?transaction|set session characteristics)\b/i;

/** Transaction control is recorded but counts toward neither budgets nor N+1 detection. */
export function isTransactionControl(sql: string): boolean {
  return TRANSACTION_CONTROL.test(sql);
}
