import { gamesBudgets } from "./budgets/games.budgets.ts";
import { identityBudgets } from "./budgets/identity.budgets.ts";
import { invitesBudgets } from "./budgets/invites.budgets.ts";
import { teamsBudgets } from "./budgets/teams.budgets.ts";

export type { Budget } from "./budget.ts";

/**
 * One table of query budgets, keyed by procedure path (one file per router under budgets/).
 * `budgets.check.ts` proves at compile time that it has exactly one entry per procedure; the
 * router-walk test proves it at run time. Counts include the session lookup of signed-in calls.
 */
export const budgets = {
  ...identityBudgets,
  ...gamesBudgets,
  ...teamsBudgets,
  ...invitesBudgets,
} as const;

export type BudgetedPath = keyof typeof budgets;
