import { gamesBudgets } from "./budgets/games.budgets.ts";
import { identityBudgets } from "./budgets/identity.budgets.ts";
import { invitesBudgets } from "./budgets/invites.budgets.ts";
import { orgsBudgets } from "./budgets/orgs.budgets.ts";
import { notificationsBudgets } from "./budgets/notifications.budgets.ts";
import { teamsBudgets } from "./budgets/teams.budgets.ts";
import { tournamentsBudgets } from "./budgets/tournaments.budgets.ts";
import { registrationsBudgets } from "./budgets/registrations.budgets.ts";
import { matchesBudgets } from "./budgets/matches.budgets.ts";
import { certificatesBudgets } from "./budgets/certificates.budgets.ts";
import { walletsBudgets } from "./budgets/wallets.budgets.ts";
import { liveBudgets } from "./budgets/live.budgets.ts";
import { webhooksBudgets } from "./budgets/webhooks.budgets.ts";
import { rankingsBudgets } from "./budgets/rankings.budgets.ts";
import { uploadsBudgets } from "./budgets/uploads.budgets.ts";

export type { Budget } from "./budget.ts";

/**
 * One table of query budgets, keyed by procedure path (one file per router under budgets/).
 * `budgets.check.ts` proves at compile time that it has exactly one entry per procedure; the
 * router-walk test proves it at run time. Counts include the session lookup of signed-in calls.
 */
export const budgets = {
  ...tournamentsBudgets,
  ...registrationsBudgets,
  ...matchesBudgets,
  ...certificatesBudgets,
  ...identityBudgets,
  ...gamesBudgets,
  ...teamsBudgets,
  ...invitesBudgets,
  ...orgsBudgets,
  ...notificationsBudgets,
  ...walletsBudgets,
  ...liveBudgets,
  ...webhooksBudgets,
  ...rankingsBudgets,
  ...uploadsBudgets,
} as const;

export type BudgetedPath = keyof typeof budgets;
