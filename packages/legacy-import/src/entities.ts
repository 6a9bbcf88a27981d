import type { LegacyEntity } from "@deltacrown/db";

/** The order batches run in: every entity after the ones it refers to. */
export const IMPORT_ORDER: readonly LegacyEntity[] = [
  "user",
  "game",
  "organization",
  "organization_member",
  "team",
  "team_member",
  "ranking",
  "tournament",
  "registration",
  "wallet",
];

/** The old site's table and DeltaCrown's table for each entity. */
export const TABLES: Record<LegacyEntity, { source: string; target: string }> = {
  user: { source: "auth_user", target: "users" },
  game: { source: "teams_game", target: "games" },
  organization: { source: "teams_organization", target: "organizations" },
  organization_member: { source: "teams_organizationmembership", target: "organization_memberships" },
  team: { source: "teams_team", target: "teams" },
  team_member: { source: "teams_teammembership", target: "team_memberships" },
  ranking: { source: "teams_teamranking", target: "team_rankings" },
  tournament: { source: "tournaments_tournament", target: "tournaments" },
  registration: { source: "tournaments_registration", target: "registrations" },
  wallet: { source: "economy_wallet", target: "wallets" },
};

export function nextEntity(entity: LegacyEntity): LegacyEntity | undefined {
  return IMPORT_ORDER[IMPORT_ORDER.indexOf(entity) + 1];
}
