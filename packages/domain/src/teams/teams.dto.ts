import type { AchievementKind, InviteRole, PostPolicy, TeamRole, Visibility } from "@deltacrown/db";
import type { ImageDto } from "../uploads/image.dto.ts";

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
  /** Empty when the roster is visible to members only (settings.rosterVisibility). */
  roster: TeamRosterEntry[];
  followerCount: number;
  settings: {
    rosterVisibility: Visibility;
    feedVisibility: Visibility;
    postPolicy: PostPolicy;
    acceptsJoinRequests: boolean;
  };
  /** Null when none is pinned or the feed is visible to members only. */
  pinnedPost: {
    id: number;
    body: string;
    imageIds: string[];
    images: ImageDto[];
    createdAt: string;
    author: { id: number; username: string; displayName: string };
  } | null;
  /** The latest achievements (at most ACHIEVEMENT_SHOWCASE). */
  achievements: { kind: AchievementKind; key: string; title: string; awardedAt: string }[];
  /** Active sponsors (approved and within their window; the sponsors job ends them). */
  sponsors: {
    id: number;
    name: string;
    linkUrl: string;
    logoUploadId: string | null;
    logo: ImageDto | null;
    startsAt: string;
    endsAt: string;
  }[];
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
