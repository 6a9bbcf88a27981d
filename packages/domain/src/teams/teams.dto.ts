import type { InviteRole, TeamRole } from "@deltacrown/db";

export interface TeamRosterEntry {
  userId: number;
  username: string;
  displayName: string;
  role: TeamRole;
  joinedAt: string;
}

export interface TeamRankingDto {
  currentCp: number;
  tier: string;
  hotStreak: number;
  rank: number | null;
}

export interface TeamDetailDto {
  id: number;
  slug: string;
  name: string;
  tag: string | null;
  description: string;
  memberCount: number;
  createdAt: string;
  game: { id: number; slug: string; name: string };
  organization: { id: number; slug: string; name: string } | null;
  owner: { id: number; username: string; displayName: string };
  /** The logo and banner images (paths on the API's origin, GET /media/…), or null. */
  logoUrl: string | null;
  bannerUrl: string | null;
  ranking: TeamRankingDto | null;
  roster: TeamRosterEntry[];
}

export interface TeamSummaryDto {
  id: number;
  slug: string;
  name: string;
  tag: string | null;
  memberCount: number;
  game: { slug: string; name: string };
  organization: { slug: string; name: string } | null;
  tier: string | null;
  currentCp: number | null;
}

export interface MyTeamDto extends TeamSummaryDto {
  role: TeamRole;
  joinedAt: string;
}

export interface InviteDto {
  id: number;
  role: InviteRole;
  status: string;
  createdAt: string;
  expiresAt: string;
  team: { id: number; slug: string; name: string };
  invitee: { id: number; username: string };
  inviter: { id: number; username: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: number | null;
}
