import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const TEAM_ROLES = ["owner", "manager", "captain", "coach", "player", "substitute"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export type InviteRole = Exclude<TeamRole, "owner">;
export type MembershipStatus = "active" | "left";
export type InviteStatus = "pending" | "accepted" | "declined" | "revoked" | "expired";

export interface TeamsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  tag: string | null;
  description: Generated<string>;
  game_id: number;
  organization_id: number | null;
  owner_id: number;
  /** Precomputed active-member count (contract §4.3), maintained by the roster services. */
  member_count: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  disbanded_at: Date | null;
  /** The team page's images (uploads migration). */
  logo_upload_id: string | null;
  banner_upload_id: string | null;
}
export type Team = Selectable<TeamsTable>;
export type NewTeam = Insertable<TeamsTable>;
export type TeamUpdate = Updateable<TeamsTable>;

export interface TeamMembershipsTable {
  id: Generated<number>;
  team_id: number;
  user_id: number;
  role: TeamRole;
  status: Generated<MembershipStatus>;
  joined_at: Generated<Date>;
  left_at: Date | null;
}
export type TeamMembership = Selectable<TeamMembershipsTable>;

export interface TeamInvitesTable {
  id: Generated<number>;
  team_id: number;
  invitee_id: number;
  inviter_id: number;
  role: InviteRole;
  /** sha256 of the single-use token sent in e-mail links. */
  token_hash: Buffer;
  status: Generated<InviteStatus>;
  created_at: Generated<Date>;
  expires_at: Date;
  responded_at: Date | null;
}
export type TeamInvite = Selectable<TeamInvitesTable>;

export interface TeamRankingsTable {
  id: Generated<number>;
  team_id: number;
  game_id: number;
  current_cp: Generated<number>;
  tier: Generated<string>;
  hot_streak: Generated<number>;
  rank: number | null;
  updated_at: Generated<Date>;
  /** Last award or match result (rankings migration); decay reduces CP of teams inactive too long. */
  last_activity_at: Generated<Date>;
}
export type TeamRanking = Selectable<TeamRankingsTable>;
