import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { postImages } from "../social/post-queries.ts";
import { sponsorLogo } from "../social/sponsor-queries.ts";
import { toImage } from "../uploads/image.dto.ts";
import { mediaUrl } from "../uploads/policy.ts";
import { ROLE_RANK } from "./permissions.ts";
import type { TeamDetailDto, TeamSummaryDto } from "./teams.dto.ts";

/** Roster order: by authority, then seniority. Built from constants, never from input. */
const ROLE_ORDER = sql.raw(
  `case m.role ${Object.entries(ROLE_RANK)
    .map(([role, rank]) => `when '${role}' then ${7 - rank}`)
    .join(" ")} end`,
);

/** How many achievements the team page shows (latest first); the rest are history. */
export const ACHIEVEMENT_SHOWCASE = 6;

const iso = (value: Date | string): string => new Date(value).toISOString();

/**
 * The whole team page in ONE statement: team, game, organization, owner, ranking, the active
 * roster with users, and the social side — follower count (precomputed), settings, the pinned
 * post with its images, the achievement showcase and the active sponsors with their logos
 * (json-aggregated, each through its own index; images by the uploads primary key) — so the detail costs one query uncached. Every writer of any of them invalidates it.
 * It is the whole page, members-only parts included: never hand it out without teamDetailFor.
 */
export async function selectTeamDetail(db: Kysely<Database>, slug: string): Promise<TeamDetailDto | undefined> {
  const row = await db
    .selectFrom("teams as t")
    .innerJoin("games as g", "g.id", "t.game_id")
    .innerJoin("users as o", "o.id", "t.owner_id")
    .leftJoin("organizations as org", "org.id", "t.organization_id")
    .leftJoin("uploads as logo", "logo.id", "t.logo_upload_id")
    .leftJoin("uploads as banner", "banner.id", "t.banner_upload_id")
    .select((eb) => [
      "t.id",
      "t.slug",
      "t.name",
      "t.tag",
      "t.description",
      "t.member_count",
      "t.created_at",
      "g.id as game_id",
      "g.slug as game_slug",
      "g.name as game_name",
      "org.id as org_id",
      "org.slug as org_slug",
      "org.name as org_name",
      "o.id as owner_id",
      "o.username as owner_username",
      "o.display_name as owner_display_name",
      "logo.storage_key as logo_key",
      "banner.storage_key as banner_key",
      jsonObjectFrom(
        eb
          .selectFrom("team_rankings as r")
          .select(["r.current_cp as currentCp", "r.tier", "r.hot_streak as hotStreak", "r.rank"])
          .whereRef("r.team_id", "=", "t.id")
          .whereRef("r.game_id", "=", "t.game_id"),
      ).as("ranking"),
      "t.follower_count",
      "t.roster_visibility",
      "t.feed_visibility",
      "t.post_policy",
      "t.accepts_join_requests",
      // The pinned post and (below) the roster are cached whatever the visibility settings: who
      // may see a members-only one is decided per viewer after the cache read (teamDetailFor).
      jsonObjectFrom(
        eb
          .selectFrom("team_posts as p")
          .innerJoin("users as pu", "pu.id", "p.author_id")
          .select([
            "p.id",
            "p.body",
            "p.image_ids as imageIds",
            "p.created_at as createdAt",
            "pu.id as authorId",
            "pu.username as authorUsername",
            "pu.display_name as authorDisplayName",
            postImages.as("images"),
          ])
          .whereRef("p.team_id", "=", "t.id")
          .where("p.pinned_at", "is not", null),
      ).as("pinned"),
      jsonArrayFrom(
        eb
          .selectFrom("team_achievements as a")
          .select(["a.kind", "a.key", "a.title", "a.awarded_at as awardedAt"])
          .whereRef("a.team_id", "=", "t.id")
          .orderBy("a.awarded_at", "desc")
          .orderBy("a.id", "desc")
          .limit(ACHIEVEMENT_SHOWCASE),
      ).as("achievements"),
      jsonArrayFrom(
        eb
          .selectFrom("team_sponsors as s")
          .select([
            "s.id",
            "s.name",
            "s.link_url as linkUrl",
            "s.logo_upload_id as logoUploadId",
            sponsorLogo.as("logo"),
            "s.starts_at as startsAt",
            "s.ends_at as endsAt",
          ])
          .whereRef("s.team_id", "=", "t.id")
          .where("s.status", "=", "active")
          .orderBy("s.id"),
      ).as("sponsors"),
      jsonArrayFrom(
        eb
          .selectFrom("team_memberships as m")
          .innerJoin("users as u", "u.id", "m.user_id")
          .select([
            "u.id as userId",
            "u.username",
            "u.display_name as displayName",
            "m.role",
            "m.joined_at as joinedAt",
          ])
          .whereRef("m.team_id", "=", "t.id")
          .where("m.status", "=", "active")
          .orderBy(ROLE_ORDER)
          .orderBy("m.joined_at"),
      ).as("roster"),
    ])
    .where("t.slug", "=", slug)
    .where("t.disbanded_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    tag: row.tag,
    description: row.description,
    memberCount: row.member_count,
    createdAt: iso(row.created_at),
    game: { id: row.game_id, slug: row.game_slug, name: row.game_name },
    organization:
      row.org_id != null && row.org_slug != null && row.org_name != null
        ? { id: row.org_id, slug: row.org_slug, name: row.org_name }
        : null,
    owner: { id: row.owner_id, username: row.owner_username, displayName: row.owner_display_name },
    logoUrl: row.logo_key != null ? mediaUrl(row.logo_key) : null,
    bannerUrl: row.banner_key != null ? mediaUrl(row.banner_key) : null,
    ranking: row.ranking,
    followerCount: row.follower_count,
    settings: {
      rosterVisibility: row.roster_visibility,
      feedVisibility: row.feed_visibility,
      postPolicy: row.post_policy,
      acceptsJoinRequests: row.accepts_join_requests,
    },
    pinnedPost:
      row.pinned == null
        ? null
        : {
            id: row.pinned.id,
            body: row.pinned.body,
            imageIds: row.pinned.imageIds,
            images: row.pinned.images.map(toImage),
            createdAt: iso(row.pinned.createdAt),
            author: {
              id: row.pinned.authorId,
              username: row.pinned.authorUsername,
              displayName: row.pinned.authorDisplayName,
            },
          },
    achievements: row.achievements.map((a) => ({
      kind: a.kind,
      key: a.key,
      title: a.title,
      awardedAt: iso(a.awardedAt),
    })),
    sponsors: row.sponsors.map((sp) => ({
      id: sp.id,
      name: sp.name,
      linkUrl: sp.linkUrl,
      logoUploadId: sp.logoUploadId,
      logo: sp.logo != null ? toImage(sp.logo) : null,
      startsAt: iso(sp.startsAt),
      endsAt: iso(sp.endsAt),
    })),
    roster: row.roster.map((m) => ({
      userId: m.userId,
      username: m.username,
      displayName: m.displayName,
      role: m.role,
      joinedAt: iso(m.joinedAt),
    })),
  };
}

/** Columns every team list shows; one shape shared by search and "my teams". */
export const TEAM_SUMMARY_COLUMNS = [
  "t.id",
  "t.slug",
  "t.name",
  "t.tag",
  "t.member_count",
  "g.slug as game_slug",
  "g.name as game_name",
  "org.slug as org_slug",
  "org.name as org_name",
  "r.tier",
  "r.current_cp",
] as const;

/** teams t + game g + organization org + ranking r, as every team list needs them. */
export function teamSummaryFrom(db: Kysely<Database>) {
  return db
    .selectFrom("teams as t")
    .innerJoin("games as g", "g.id", "t.game_id")
    .leftJoin("organizations as org", "org.id", "t.organization_id")
    .leftJoin("team_rankings as r", (j) => j.onRef("r.team_id", "=", "t.id").onRef("r.game_id", "=", "t.game_id"))
    .where("t.disbanded_at", "is", null);
}

export function toTeamSummary(row: {
  id: number;
  slug: string;
  name: string;
  tag: string | null;
  member_count: number;
  game_slug: string;
  game_name: string;
  org_slug: string | null;
  org_name: string | null;
  tier: string | null;
  current_cp: number | null;
}): TeamSummaryDto {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    tag: row.tag,
    memberCount: row.member_count,
    game: { slug: row.game_slug, name: row.game_name },
    organization: row.org_slug != null && row.org_name != null ? { slug: row.org_slug, name: row.org_name } : null,
    tier: row.tier,
    currentCp: row.current_cp,
  };
}
