import type { BudgetedPath, CallReport } from "../../src/index.ts";
import type { Api } from "../api-harness.ts";

/** One measured call of one procedure, with the exact number of statements it must run. */
export interface Scenario {
  /** Exact statements the call runs (transaction control excluded), the session lookup included. */
  queries: number;
  run(api: Api): Promise<{ report: CallReport }>;
}

/** Another path through one procedure with its own exact count (e.g. sign-in that rehashes an imported password). */
export interface Variant extends Scenario {
  path: BudgetedPath;
}

/** The scenarios of one router: one per procedure under `prefix.`. */
export type Scenarios<Prefix extends string> = Record<Extract<BudgetedPath, `${Prefix}.${string}`>, Scenario>;

let seq = 0;
let salt = "";
/** Unique names, so scenarios sharing one database never collide. */
export const uniq = (prefix: string) => `${prefix}${salt}${++seq}`;
/** Names unique across runs too, for a database that already holds data (the bench dataset). */
export function saltUniqueNames(value: string): void {
  salt = value;
}
