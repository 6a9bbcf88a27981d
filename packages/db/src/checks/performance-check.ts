/**
 * The performance contract as a check (the old `manage.py check --tag performance`): required
 * indexes, foreign-key coverage and redundant indexes, read from the live catalog.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { checkDuplicateIndexes } from "./check-duplicate-indexes.ts";
import { checkForeignKeys } from "./check-foreign-keys.ts";
import { checkRequiredIndexes } from "./check-required-indexes.ts";
import type { Finding, PendingRequirement } from "./findings.ts";
import { inspectSchema, type CatalogDb } from "./inspect.ts";
import { REQUIRED_INDEXES, type RequiredIndex } from "./required-indexes.ts";

export type { Finding, PendingRequirement } from "./findings.ts";

export interface PerformanceCheckOptions {
  schema?: string;
  required?: readonly RequiredIndex[];
}

export interface PerformanceCheckResult {
  findings: Finding[];
  /** Requirements on tables a later migration creates. */
  pending: PendingRequirement[];
  requiredPresent: number;
  foreignKeysCovered: number;
  /** "performance check: N required indexes present, M foreign keys covered, K findings" */
  summary: string;
}

/** Runs the check over a Kysely instance or transaction (sees its uncommitted DDL), or a connection string. */
export async function runPerformanceCheck(
  target: CatalogDb | string,
  options: PerformanceCheckOptions = {},
): Promise<PerformanceCheckResult> {
  if (typeof target !== "string") return checkWith(target, options);
  const db: CatalogDb = new Kysely({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target, max: 1 }) }),
  });
  try {
    return await checkWith(db, options);
  } finally {
    await db.destroy();
  }
}

async function checkWith(db: CatalogDb, options: PerformanceCheckOptions): Promise<PerformanceCheckResult> {
  const catalog = await inspectSchema(db, options.schema ?? "public");
  const required = checkRequiredIndexes(catalog, options.required ?? REQUIRED_INDEXES);
  const foreignKeys = checkForeignKeys(catalog);
  const findings: Finding[] = [...required.findings, ...foreignKeys.findings, ...checkDuplicateIndexes(catalog)];
  return {
    findings,
    pending: required.pending,
    requiredPresent: required.present,
    foreignKeysCovered: foreignKeys.covered,
    summary: `performance check: ${required.present} required indexes present, ${foreignKeys.covered} foreign keys covered, ${findings.length} findings`,
  };
}
