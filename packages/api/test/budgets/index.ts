import type { BudgetedPath } from "../../src/index.ts";
import { gamesScenarios } from "./games.scenarios.ts";
import { identityScenarios } from "./identity.scenarios.ts";
import { invitesScenarios } from "./invites.scenarios.ts";
import { orgsScenarios } from "./orgs.scenarios.ts";
import { notificationsScenarios } from "./notifications.scenarios.ts";
import type { Scenario } from "./scenario.ts";
import { teamsScenarios } from "./teams.scenarios.ts";
import { tournamentsScenarios } from "./tournaments.scenarios.ts";
import { registrationsScenarios } from "./registrations.scenarios.ts";
import { matchesScenarios } from "./matches.scenarios.ts";
import { certificatesScenarios } from "./certificates.scenarios.ts";
import { walletsScenarios } from "./wallets.scenarios.ts";
import { liveScenarios } from "./live.scenarios.ts";
import { webhooksScenarios } from "./webhooks.scenarios.ts";
import { rankingsScenarios } from "./rankings.scenarios.ts";
import { uploadsScenarios } from "./uploads.scenarios.ts";

/** Every procedure's scenario; the type makes a missing one a compile error. */
export const scenarios = {
  ...tournamentsScenarios,
  ...registrationsScenarios,
  ...matchesScenarios,
  ...certificatesScenarios,
  ...identityScenarios,
  ...gamesScenarios,
  ...teamsScenarios,
  ...invitesScenarios,
  ...orgsScenarios,
  ...notificationsScenarios,
  ...walletsScenarios,
  ...liveScenarios,
  ...webhooksScenarios,
  ...rankingsScenarios,
  ...uploadsScenarios,
} satisfies Record<BudgetedPath, Scenario>;
