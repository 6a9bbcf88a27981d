import type { OrgRole } from "@deltacrown/db";

export interface OrgDto {
  id: number;
  slug: string;
  name: string;
  description: string;
  website: string | null;
  owner: { id: number; username: string; displayName: string };
  memberCount: number;
  createdAt: string;
}

export interface OrgMemberDto {
  id: number;
  user: { id: number; username: string; displayName: string };
  role: OrgRole;
  joinedAt: string;
}

export interface OrgDashboardDto {
  organization: { id: number; slug: string; name: string };
  teamCount: number;
  memberCount: number;
  teamsPerGame: { gameSlug: string; gameName: string; teams: number }[];
  teams: {
    slug: string;
    name: string;
    game: { slug: string; name: string };
    memberCount: number;
    rank: number | null;
    tier: string | null;
    currentCp: number | null;
  }[];
  recentActivity: {
    id: string;
    action: string;
    entityType: string;
    entityId: string;
    actor: string | null;
    at: string;
  }[];
  generatedAt: string;
}
