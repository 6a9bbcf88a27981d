/**
 * Contract categories (seed 000 §1–§2, docs/architecture.md "The contract, as code"): each sets
 * the ceiling of a procedure's query budget. A procedure may declare a tighter budget in
 * budgets.ts, never a looser one. p95 latency budgets are enforced by `pnpm bench:check`, not by
 * timed unit tests; in production the p95 alerts (ops/prometheus/alerts.yml) use the same table.
 */
export const CATEGORIES = {
  detail: { maxQueries: 5, p95Ms: 50 },
  list: { maxQueries: 7, p95Ms: 100 },
  dashboard: { maxQueries: 10, p95Ms: 100 },
  form: { maxQueries: 12, p95Ms: 500 },
  write: { maxQueries: 12, p95Ms: 100 },
  calc: { maxQueries: 10, p95Ms: 200 },
} as const;

export type Category = keyof typeof CATEGORIES;

/** Same statement shape this many times in one call is an N+1, whatever the budget. */
export const N_PLUS_ONE_THRESHOLD = 3;

/** Who may call: anyone, anyone with the answer shaped by the viewer's session, or a signed-in user. */
export type Access = "public" | "viewer" | "authed";

export interface ProcedureMeta {
  category: Category;
  /** Set by publicProcedure / viewerProcedure / authedProcedure; /openapi.json lists the non-authed queries. */
  access?: Access;
}
