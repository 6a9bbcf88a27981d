import type { EconomyTables } from "./tables/economy.table.ts";
import type { WebhookTables } from "./tables/webhooks.table.ts";
import type { UploadTables } from "./tables/uploads.table.ts";
import type { AuditLogTable, NotificationsTable } from "./tables/activity.table.ts";
import type { LegacyImportTables } from "./tables/legacy-import.table.ts";
import type { GamesTable } from "./tables/games.table.ts";
import type { OperationsTables } from "./tables/operations.table.ts";
import type { SessionsTable, UsersTable } from "./tables/identity.table.ts";
import type { OrganizationMembershipsTable, OrganizationsTable } from "./tables/organizations.table.ts";
import type { TournamentTables } from "./tables/tournaments.table.ts";
import type { RankingsTables } from "./tables/rankings.table.ts";
import type { TeamInvitesTable, TeamMembershipsTable, TeamRankingsTable, TeamsTable } from "./tables/teams.table.ts";

/** Tables of the first migration (identity, games, organizations, teams, activity). */
export interface CoreTables {
  users: UsersTable;
  sessions: SessionsTable;
  games: GamesTable;
  organizations: OrganizationsTable;
  organization_memberships: OrganizationMembershipsTable;
  teams: TeamsTable;
  team_memberships: TeamMembershipsTable;
  team_invites: TeamInvitesTable;
  team_rankings: TeamRankingsTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
}

/**
 * Every table Kysely may touch; one interface so queries are typed end to end. Each bounded
 * context declares its tables in `tables/<context>.table.ts` and is added here with `extends`.
 */
export interface Database
  extends
    CoreTables,
    TournamentTables,
    EconomyTables,
    RankingsTables,
    OperationsTables,
    WebhookTables,
    LegacyImportTables,
    UploadTables {}
