import pg from "pg";
import { fingerprint } from "../fingerprint.ts";
import { planAllowList, type PlanAllowance } from "./plans-allow-list.ts";
import { DEFAULT_ROW_THRESHOLD } from "./plans-threshold.ts";

/**
 * Plan checks: EXPLAIN recorded statements (with their recorded parameters) on a realistic
 * dataset and flag the two shapes that go quadratic as tables grow: a sequential scan of a big
 * table, and a sort feeding a LIMIT (top-N computed by sorting everything instead of walking an
 * index). Plain EXPLAIN never executes the statement, so writes are safe to check too.
 */
export interface RecordedStatement {
  /** Procedure path (or any label) that ran it. */
  path: string;
  sql: string;
  params: readonly unknown[];
}

export interface PlanFinding {
  path: string;
  fingerprint: string;
  kind: "seq-scan" | "sort-limit";
  relation?: string;
  rows: number;
  message: string;
  plan: string;
}

export interface PlanCheckOptions {
  /** A table (or sort input) above this many rows must not be scanned / sorted for a LIMIT. */
  rowThreshold?: number;
  allowList?: readonly PlanAllowance[];
  /** Called after each distinct statement is explained (progress of a long check). */
  onProgress?: (done: number, total: number) => void;
}

export interface PlanCheckResult {
  checked: number;
  skipped: { path: string; fingerprint: string; reason: string }[];
  allowed: { path: string; fingerprint: string; reason: string }[];
  findings: PlanFinding[];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Plan Rows"?: number;
  "Index Name"?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** JSON lines written by the query-budget test turn Buffers into {"$bytea": hex}; undo that. */
export function reviveParam(value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const hex = (value as { $bytea?: unknown }).$bytea;
    if (typeof hex === "string") return Buffer.from(hex, "hex");
    const legacy = value as { type?: unknown; data?: unknown };
    if (legacy.type === "Buffer" && Array.isArray(legacy.data)) return Buffer.from(legacy.data as number[]);
  }
  if (Array.isArray(value)) return value.map(reviveParam);
  return value;
}

/** The encoding the recorder uses, so a Buffer survives a JSON line. */
export function encodeParam(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $bytea: value.toString("hex") };
  if (value instanceof Uint8Array) return { $bytea: Buffer.from(value).toString("hex") };
  if (Array.isArray(value)) return value.map(encodeParam);
  return value;
}

/** Statements worth explaining: one per (path, fingerprint); DDL, transaction control and SETs are not. */
export function distinctStatements(statements: readonly RecordedStatement[]): RecordedStatement[] {
  const seen = new Set<string>();
  const out: RecordedStatement[] = [];
  for (const s of statements) {
    if (!/^\s*(with|select|insert|update|delete)\b/i.test(s.sql)) continue;
    const key = `${s.path}\u0000${fingerprint(s.sql)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

export async function checkPlans(
  connectionString: string,
  statements: readonly RecordedStatement[],
  options: PlanCheckOptions = {},
): Promise<PlanCheckResult> {
  const threshold = options.rowThreshold ?? DEFAULT_ROW_THRESHOLD;
  const allowList = options.allowList ?? planAllowList;
  const client = new pg.Client({ connectionString, application_name: "dc-plan-check" });
  await client.connect();
  const result: PlanCheckResult = { checked: 0, skipped: [], allowed: [], findings: [] };
  try {
    const sizes = await tableSizes(client);
    const distinct = distinctStatements(statements);
    for (const [i, statement] of distinct.entries()) {
      options.onProgress?.(i, distinct.length);
      const fp = fingerprint(statement.sql);
      let plan: PlanNode;
      try {
        const explained = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
          `explain (format json) ${statement.sql}`,
          statement.params.map(reviveParam),
        );
        plan = explained.rows[0]!["QUERY PLAN"][0].Plan;
      } catch (error) {
        result.skipped.push({ path: statement.path, fingerprint: fp, reason: (error as Error).message });
        continue;
      }
      result.checked++;
      for (const issue of planIssues(plan, sizes, threshold)) {
        const allowance = allowList.find(
          (a) => a.relation === issue.relation && a.kind === issue.kind && fp.includes(a.fingerprintIncludes),
        );
        if (allowance) {
          result.allowed.push({ path: statement.path, fingerprint: fp, reason: allowance.reason });
          continue;
        }
        const planText = await textPlan(client, statement);
        result.findings.push({
          path: statement.path,
          fingerprint: fp,
          ...issue,
          message: `${statement.path}: ${issue.describe}\n  query: ${fp}\n${indent(planText)}`,
          plan: planText,
        });
      }
    }
  } finally {
    await client.end();
  }
  return result;
}

interface Issue {
  kind: PlanFinding["kind"];
  relation?: string;
  rows: number;
  describe: string;
}

/** Walks a JSON plan; `sizes` are the tables' row counts (pg_class.reltuples after ANALYZE). */
export function planIssues(root: PlanNode, sizes: ReadonlyMap<string, number>, threshold: number): Issue[] {
  const issues: Issue[] = [];
  const visit = (node: PlanNode, parent?: PlanNode) => {
    const relation = node["Relation Name"];
    if (node["Node Type"] === "Seq Scan" && relation) {
      const rows = sizes.get(relation) ?? 0;
      if (rows > threshold)
        issues.push({
          kind: "seq-scan",
          relation,
          rows,
          describe: `Seq Scan on ${relation} (${rows} rows, threshold ${threshold}): an index this query needs is missing or unusable`,
        });
    }
    if (node["Node Type"] === "Sort" && parent?.["Node Type"] === "Limit") {
      const input = node.Plans?.[0];
      const rows = input?.["Plan Rows"] ?? 0;
      if (rows > threshold) {
        const table = input ? firstRelation(input) : undefined;
        issues.push({
          kind: "sort-limit",
          ...(table ? { relation: table } : {}),
          rows,
          describe: `Sort feeding a Limit over ~${rows} rows${table ? ` of ${table}` : ""}: no index provides the order`,
        });
      }
    }
    for (const child of node.Plans ?? []) visit(child, node);
  };
  visit(root);
  return issues;
}

function firstRelation(node: PlanNode): string | undefined {
  if (node["Relation Name"]) return node["Relation Name"];
  for (const child of node.Plans ?? []) {
    const found = firstRelation(child);
    if (found) return found;
  }
  return undefined;
}

async function tableSizes(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ relname: string; reltuples: number }>(
    `select c.relname, greatest(c.reltuples, 0)::float8 as reltuples
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname = 'public'`,
  );
  return new Map(rows.map((r) => [r.relname, Number(r.reltuples)]));
}

async function textPlan(client: pg.Client, statement: RecordedStatement): Promise<string> {
  const { rows } = await client.query<{ "QUERY PLAN": string }>(
    `explain ${statement.sql}`,
    statement.params.map(reviveParam),
  );
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
