import type { BudgetedPath } from "../../src/index.ts";
import { gamesScenarios } from "./games.scenarios.ts";
import { identityScenarios } from "./identity.scenarios.ts";
import { invitesScenarios } from "./invites.scenarios.ts";
import type { Scenario } from "./scenario.ts";
import { teamsScenarios } from "./teams.scenarios.ts";

/** Every procedure's scenario; the type makes a missing one a compile error. */
export const scenarios = {
  ...identityScenarios,
  ...gamesScenarios,
  ...teamsScenarios,
  ...invitesScenarios,
} satisfies Record<BudgetedPath, Scenario>;
