/**
 * Queries that must scan, each with the reason. Matched by the table, the kind of finding, and
 * a piece of the statement's fingerprint (see packages/db/src/fingerprint.ts). Keep it short:
 * every entry is a scan that grows with the table.
 */
export interface PlanAllowance {
  relation: string;
  kind: "seq-scan" | "sort-limit";
  /** A substring of the normalized fingerprint. */
  fingerprintIncludes: string;
  reason: string;
}

export const planAllowList: readonly PlanAllowance[] = [];
