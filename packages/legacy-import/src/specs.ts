import type { LegacyEntity } from "@deltacrown/db";
import { games } from "./entities/games.ts";
import { organizationMembers } from "./entities/organization-members.ts";
import { organizations } from "./entities/organizations.ts";
import { rankings } from "./entities/rankings.ts";
import { registrations } from "./entities/registrations.ts";
import { teamMembers } from "./entities/team-members.ts";
import { teams } from "./entities/teams.ts";
import { tournaments } from "./entities/tournaments.ts";
import { users } from "./entities/users.ts";
import { wallets } from "./entities/wallets.ts";
import type { EntitySpec, SourceRow } from "./spec.ts";

export const SPECS: Record<LegacyEntity, EntitySpec<SourceRow>> = {
  user: users,
  game: games,
  organization: organizations,
  organization_member: organizationMembers,
  team: teams,
  team_member: teamMembers,
  ranking: rankings,
  tournament: tournaments,
  registration: registrations,
  wallet: wallets,
};
