import type { AchievementKind, PostPolicy, SponsorStatus, Visibility } from "@deltacrown/db";
import type { TeamSummaryDto } from "../teams/teams.dto.ts";
import type { ImageDto } from "../uploads/image.dto.ts";

export interface PostDto {
  id: number;
  team: { slug: string; name: string };
  author: { id: number; username: string; displayName: string };
  body: string;
  imageIds: string[];
  /** The images, in imageIds' order, as any viewer of the post fetches them. */
  images: ImageDto[];
  pinned: boolean;
  createdAt: string;
}

export interface FollowStateDto {
  following: boolean;
  followerCount: number;
}

export interface FollowerDto {
  userId: number;
  username: string;
  displayName: string;
  followedAt: string;
}

export interface FollowedTeamDto extends TeamSummaryDto {
  followedAt: string;
}

export interface AchievementDto {
  kind: AchievementKind;
  key: string;
  title: string;
  awardedAt: string;
}

export interface TeamSponsorDto {
  id: number;
  name: string;
  linkUrl: string;
  logoUploadId: string | null;
  logo: ImageDto | null;
  status: SponsorStatus;
  startsAt: string;
  endsAt: string;
}

export interface PromotionDto {
  id: number;
  teamSlug: string;
  gameSlug: string;
  startsAt: string;
  endsAt: string;
}

export interface TeamSettingsDto {
  rosterVisibility: Visibility;
  feedVisibility: Visibility;
  postPolicy: PostPolicy;
  acceptsJoinRequests: boolean;
}

export interface AnalyticsWeekDto {
  weekStart: string;
  pageViews: number;
  followersGained: number;
  followersTotal: number;
  matchesWon: number;
  matchesLost: number;
  cpChange: number;
  cpTotal: number;
}

export const iso = (value: Date | string): string => new Date(value).toISOString();
