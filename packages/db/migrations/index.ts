import type { Migration } from "kysely";
import * as identityGamesOrgsTeams from "./20261124T0001_identity_games_orgs_teams.ts";

/**
 * Every migration, by its timestamped name. Listed explicitly (not read from the folder) so
 * they load the same under tsx, vitest and any bundler; a new file must be added here.
 */
export const migrations: Record<string, Migration> = {
  "20261124T0001_identity_games_orgs_teams": identityGamesOrgsTeams,
};
