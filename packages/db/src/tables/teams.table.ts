import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const TEAM_ROLES = ["owner", "manager", "captain", "coach", "player", "substitute"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export type InviteRole = Exclude<TeamRole, "owner">;
export type MembershipStatus = "active" | "left";
/** Who sees a team's roster or feed: anyone, or its active members only. */
export const VISIBILITIES = ["public", "members"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** Who may post on a team's feed: any active member, captains and up, managers and up. */
export const POST_POLICIES = ["members", "captains", "managers"] as const;
export type PostPolicy = (typeof POST_POLICIES)[number];
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
  /** Precomputed follower count (social migration), changed in the same statement as the follow row. */
  follower_count: Generated<number>;
  roster_visibility: Generated<Visibility>;
  feed_visibility: Generated<Visibility>;
  post_policy: Generated<PostPolicy>;
  accepts_join_requests: Generated<boolean>;
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
