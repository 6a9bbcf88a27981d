import { QueryLedger, runWithLedger } from "@deltacrown/db";
import { budgets, type Budget } from "./budgets.ts";
import { CATEGORIES, N_PLUS_ONE_THRESHOLD, type Category } from "./categories.ts";

export type ContractMode = "throw" | "warn";

export interface CallReport {
  path: string;
  category: Category;
  budget: Budget;
  ledger: QueryLedger;
  durationMs: number;
  violations: Violation[];
}

export interface Violation {
  kind: "budget" | "n+1";
  message: string;
}

/** Raised in "throw" mode (tests): a contract breach fails the call loudly. */
export class ContractViolationError extends Error {
  override readonly name = "ContractViolationError";
  constructor(readonly report: CallReport) {
    super(`contract violation in ${report.path}: ${report.violations.map((v) => v.message).join("; ")}`);
  }
}

const budgetTable: Readonly<Record<string, Budget>> = budgets;

export function budgetFor(path: string, category: Category): Budget {
  // A path missing from the table cannot compile (budgets.check.ts); fall back to the ceiling anyway.
  return budgetTable[path] ?? { category, maxQueries: CATEGORIES[category].maxQueries };
}

export function findViolations(path: string, budget: Budget, ledger: QueryLedger): Violation[] {
  const violations: Violation[] = [];
  if (ledger.count > budget.maxQueries) {
    violations.push({
      kind: "budget",
      message: `${ledger.count} queries, budget ${budget.maxQueries} (${budget.category}):\n  ${ledger.fingerprints().join("\n  ")}`,
    });
  }
  for (const r of ledger.repeats(N_PLUS_ONE_THRESHOLD)) {
    violations.push({
      kind: "n+1",
      message: `N+1: the same statement ran ${r.times} times in ${path}: ${r.fingerprint}`,
    });
  }
  return violations;
}

/** Runs one procedure call inside its own ledger and reports what it cost. */
export async function measureCall<T>(
  path: string,
  category: Category,
  fn: () => Promise<T>,
): Promise<{ result: T; report: CallReport }> {
  const ledger = new QueryLedger(path);
  const started = performance.now();
  const result = await runWithLedger(ledger, fn);
  const budget = budgetFor(path, category);
  return {
    result,
    report: {
      path,
      category,
      budget,
      ledger,
      durationMs: performance.now() - started,
      violations: findViolations(path, budget, ledger),
    },
  };
}
