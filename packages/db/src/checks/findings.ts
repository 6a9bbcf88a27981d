/** What the performance check reports. Every `message` is one line naming the table and columns. */
import type { RequiredIndex } from "./required-indexes.ts";

export interface MissingIndexFinding {
  kind: "missing-index";
  table: string;
  columns: readonly string[];
  unique: boolean;
  /** Why the index is required, e.g. "contract §2.2". */
  source: string;
  /** Why nothing present satisfies it, e.g. "teams_x is partial (where ...)". */
  detail: string;
  message: string;
}

export interface UnindexedForeignKeyFinding {
  kind: "unindexed-foreign-key";
  table: string;
  columns: readonly string[];
  referencedTable: string;
  constraint: string;
  message: string;
}

export interface DuplicateIndexFinding {
  kind: "duplicate-index";
  table: string;
  /** The redundant index: safe to drop. */
  index: string;
  columns: readonly string[];
  /** The index that already serves every query `index` could. */
  coveredBy: string;
  coveredByColumns: readonly string[];
  message: string;
}

export type Finding = MissingIndexFinding | UnindexedForeignKeyFinding | DuplicateIndexFinding;

/** A requirement on a table a later migration will create: reported, never failing. */
export interface PendingRequirement {
  requirement: RequiredIndex;
  message: string;
}
