import type { ColumnType, Generated, Selectable } from "kysely";

export const ACHIEVEMENT_KINDS = ["tournament_placement", "cp_milestone", "tier_reached", "hot_streak"] as const;
export type AchievementKind = (typeof ACHIEVEMENT_KINDS)[number];
export const SPONSOR_STATUSES = ["proposed", "approved", "active", "ended"] as const;
export type SponsorStatus = (typeof SPONSOR_STATUSES)[number];

export interface TeamPostsTable {
  id: Generated<number>;
  team_id: number;
  author_id: number;
  /** Sanitized plain text (the text policy), never markup. */
  body: string;
  /** Upload ids (at most 4); the uploads migration adds their foreign key. */
  image_ids: ColumnType<string[], string[] | undefined, string[]>;
  pinned_at: Date | null;
  created_at: Generated<Date>;
}
export type TeamPost = Selectable<TeamPostsTable>;

export interface TeamFollowsTable {
  team_id: number;
  user_id: number;
  created_at: Generated<Date>;
}

export interface TeamAchievementsTable {
  id: Generated<number>;
  team_id: number;
  kind: AchievementKind;
  /** What makes it unique per team and kind: a tournament id, a CP threshold, a tier, a streak length. */
  key: string;
  title: string;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  awarded_at: Generated<Date>;
}

export interface TeamSponsorsTable {
  id: Generated<number>;
  team_id: number;
  name: string;
  link_url: string;
  logo_upload_id: string | null;
  status: Generated<SponsorStatus>;
  starts_at: Date;
  ends_at: Date;
  proposed_by: number;
  approved_by: number | null;
  created_at: Generated<Date>;
}

export interface TeamPromotionsTable {
  id: Generated<number>;
  team_id: number;
  game_id: number;
  starts_at: Date;
  ends_at: Date;
  created_by: number;
  created_at: Generated<Date>;
}

export interface TeamAnalyticsWeeklyTable {
  team_id: number;
  week_start: ColumnType<Date, string | Date, string | Date>;
  page_views: Generated<number>;
  page_views_total: ColumnType<string, number | string | undefined, number | string>;
  followers_gained: Generated<number>;
  followers_total: Generated<number>;
  matches_won: Generated<number>;
  matches_lost: Generated<number>;
  cp_change: Generated<number>;
  cp_total: Generated<number>;
  computed_at: Generated<Date>;
}

/** Tables of the social migration (issue 17). */
export interface SocialTables {
  team_posts: TeamPostsTable;
  team_follows: TeamFollowsTable;
  team_achievements: TeamAchievementsTable;
  team_sponsors: TeamSponsorsTable;
  team_promotions: TeamPromotionsTable;
  team_analytics_weekly: TeamAnalyticsWeeklyTable;
}
