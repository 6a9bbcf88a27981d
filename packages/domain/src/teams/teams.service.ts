import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { audit } from "../shared/audit.ts";
import { fillDb, type Actor, type DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { createWithSlug } from "../shared/slugs.ts";
import { withTransaction } from "../shared/transaction.ts";
import { selectTeamDetail, TEAM_SUMMARY_COLUMNS, teamSummaryFrom, toTeamSummary } from "./team-queries.ts";
import type { CursorPage } from "../tournaments/tournaments.dto.ts";
import type { MyTeamDto, Page, TeamDetailDto, TeamSummaryDto } from "./teams.dto.ts";
import { maySee } from "../social/team-access.ts";

export interface CreateTeamInput {
  name: string;
  slug?: string | undefined;
  tag?: string | undefined;
  description?: string | undefined;
  gameSlug: string;
  organizationSlug?: string | undefined;
}

/** Org roles that may place a team in their organization. */
const ORG_TEAM_CREATORS = new Set(["owner", "admin", "manager"]);

export async function createTeam(deps: DomainDeps, actor: Actor, input: CreateTeamInput): Promise<TeamDetailDto> {
  // One lookup for the game and, when asked, the actor's role in the organization (read live).
  const found = await deps.db
    .selectFrom("games as g")
    .select((eb) => [
      "g.id as game_id",
      eb
        .selectFrom("organizations as o")
        .leftJoin("organization_memberships as om", (j) =>
          j.onRef("om.organization_id", "=", "o.id").on("om.user_id", "=", actor.userId),
        )
        .select((e) => e.fn.coalesce("om.role", e.val("none")).as("r"))
        .where("o.slug", "=", input.organizationSlug ?? "")
        .as("org_role"),
      eb
        .selectFrom("organizations as o")
        .select("o.id")
        .where("o.slug", "=", input.organizationSlug ?? "")
        .as("org_id"),
    ])
    .where("g.slug", "=", input.gameSlug)
    .executeTakeFirst();
  if (!found) throw notFound("Game", "gameSlug");
  if (input.organizationSlug !== undefined) {
    if (found.org_id == null) throw notFound("Organization", "organizationSlug");
    if (!actor.isStaff && !ORG_TEAM_CREATORS.has(found.org_role ?? "none"))
      throw forbidden("Only the organization's owner, admins and managers may add teams to it");
  }
  const teamSource = { ...input, kind: "team", table: "teams", constraint: "teams_slug_key" } as const;
  const slug = await createWithSlug(teamSource, (slugValue) =>
    withTransaction(deps.db, async (trx, afterCommit) => {
      // Team, owner membership and its (empty) ranking in one statement.
      const team = await trx
        .with("t", (db) =>
          db
            .insertInto("teams")
            .values({
              slug: slugValue,
              name: input.name,
              tag: input.tag ?? null,
              description: input.description ?? "",
              game_id: found.game_id,
              organization_id: found.org_id ?? null,
              owner_id: actor.userId,
              member_count: 1,
            })
            .returning(["id", "game_id", "slug"]),
        )
        .with("m", (db) =>
          db
            .insertInto("team_memberships")
            .columns(["team_id", "user_id", "role"])
            .expression((eb) =>
              eb.selectFrom("t").select((e) => ["t.id", e.val(actor.userId).as("user_id"), e.val("owner").as("role")]),
            ),
        )
        .with("r", (db) =>
          db
            .insertInto("team_rankings")
            .columns(["team_id", "game_id"])
            .expression((eb) => eb.selectFrom("t").select(["t.id", "t.game_id"])),
        )
        .selectFrom("t")
        .select(["t.id", "t.slug"])
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actorId: actor.userId,
        action: "team.created",
        entityType: "team",
        entityId: String(team.id),
        data: { slug: team.slug, gameSlug: input.gameSlug, organizationSlug: input.organizationSlug ?? null },
      });
      afterCommit(() =>
        deps.cache.invalidateMany([
          ["userTeams", actor.userId],
          ["teamDetail", team.slug],
          ...(input.organizationSlug !== undefined ? [["orgDashboard", input.organizationSlug] as const] : []),
        ]),
      );
      return team.slug;
    }),
  );
  return teamBySlug(deps, slug, () => Promise.resolve(actor));
}

/** Who is looking, asked only when the answer depends on it (it may cost the session lookup). */
export type ViewerLookup = () => Promise<Actor | undefined>;

const anonymous: ViewerLookup = () => Promise.resolve(undefined);

/**
 * The team page, cached whole (10 min) and invalidated by every change to the team or roster. The
 * cached whole holds a members-only roster and pinned post too; `viewer` is asked (lazily) only
 * when the team hides one of them, and the page is cut to what that viewer may see.
 */
export async function teamBySlug(
  deps: DomainDeps,
  slug: string,
  viewer: ViewerLookup = anonymous,
): Promise<TeamDetailDto> {
  const team = await deps.cache.getOrLoad("teamDetail", slug, () => selectTeamDetail(fillDb(deps), slug));
  if (!team) throw notFound("Team", "slug");
  deps.cache.recordView("teamDetail", slug); // one ZINCRBY, fire and forget: feeds the warming job
  return teamDetailFor(team, viewer);
}

/**
 * Every viewer (anonymous, stranger, member, staff) sees this page as it is: nothing on it is
 * members-only. Holds for the cached whole and for any viewer's page of it (the settings are on both).
 */
export const teamDetailSameForEveryViewer = (team: Pick<TeamDetailDto, "settings">): boolean =>
  team.settings.rosterVisibility === "public" && team.settings.feedVisibility === "public";

/**
 * The page as one viewer may see it: a members-only roster (`roster: []`) and a members-only
 * feed's pinned post (`pinnedPost: null`) show only to the team's active members and staff
 * (maySee, the rule the feed itself follows). Membership is read from the cached roster, which
 * lists every active member, so deciding costs no query beyond the viewer's session.
 */
export async function teamDetailFor(team: TeamDetailDto, viewer: ViewerLookup): Promise<TeamDetailDto> {
  if (teamDetailSameForEveryViewer(team)) return team;
  const { rosterVisibility, feedVisibility } = team.settings;
  const who = await viewer();
  const role = who === undefined ? null : (team.roster.find((m) => m.userId === who.userId)?.role ?? null);
  const isStaff = who?.isStaff ?? false;
  const showRoster = maySee(rosterVisibility, role, isStaff);
  const showPinned = maySee(feedVisibility, role, isStaff);
  if (showRoster && showPinned) return team;
  return { ...team, roster: showRoster ? team.roster : [], pinnedPost: showPinned ? team.pinnedPost : null };
}

export interface SearchTeamsInput {
  gameSlug?: string | undefined;
  organizationSlug?: string | undefined;
  tier?: string | undefined;
  namePrefix?: string | undefined;
  cursor?: number | undefined;
  limit: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** At most this many promoted teams head a game's first discovery page. */
export const PROMOTED_PER_PAGE = 3;

/** A promotion of team `t` running now (index team_promotions (team_id, ends_at)). */
const promotedNow = sql<boolean>`exists (
  select 1 from team_promotions p
  where p.game_id = t.game_id and p.team_id = t.id and p.ends_at > now() and p.starts_at <= now())`;

type SearchPage = Page<TeamSummaryDto & { promoted: boolean }>;

/**
 * Newest first, keyset-paginated on id, one query a page. With a game, discovery is promotion
 * aware: the first page starts with the game's teams promoted right now (marked `promoted`, a
 * second query), and the id-ordered pages leave them out, so no team shows twice.
 *
 * Cached (teamSearch, exact: every change a row shows bumps the team directory's generation) for
 * searches by organization and/or tier only, each page as a block of up to SEARCH_BLOCK rows that
 * serves any limit. Read live: a game's pages (promotions start and end with the clock, which no
 * write announces) and name prefixes (a key per prefix typed: a key space the data does not bound).
 */
export async function searchTeams(deps: DomainDeps, input: SearchTeamsInput): Promise<SearchPage> {
  const id = searchCacheId(input);
  if (id === undefined) return selectSearchPage(deps.db, input);
  let uncached: TeamSummaryDto[] | undefined;
  const block = await deps.cache.getOrLoad("teamSearch", id, async () => {
    const loaded = await selectSearchBlock(fillDb(deps), input);
    if (loaded.cacheable) return loaded.rows;
    uncached = loaded.rows;
    return undefined;
  });
  // Not cached (a page another caller loaded, or one that is not kept): this call's own read.
  const rows = block ?? uncached ?? (await selectSearchBlock(deps.db, input)).rows;
  const items = rows.slice(0, input.limit);
  return {
    items: items.map((r) => ({ ...r, promoted: false })),
    nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null,
  };
}

/** Rows a cached search block holds: the largest page, and one more to know if another follows. */
export const SEARCH_BLOCK = 50;

/**
 * The cache id of a search, or undefined when it is read live (see searchTeams). The limit is not
 * in it (a block serves every limit). Keys are lower-cased, and SQL compares case-sensitively: a
 * filter that is not lower case is read live rather than share a key with its lower-case twin.
 */
export function searchCacheId(input: SearchTeamsInput): string | undefined {
  if (input.gameSlug !== undefined || input.namePrefix !== undefined) return undefined;
  const id = JSON.stringify([input.organizationSlug ?? null, input.tier ?? null, input.cursor ?? null]);
  return id === id.toLowerCase() ? id : undefined;
}

/**
 * Up to SEARCH_BLOCK + 1 rows after the cursor, read together with the cursor's own row (`<=`):
 * a block is kept only when it has rows and its cursor is a team the search lists, so the keys
 * are bounded by the data (one per listed team and filter), not by the integers a caller sends.
 */
async function selectSearchBlock(
  db: Kysely<Database>,
  input: SearchTeamsInput,
): Promise<{ rows: TeamSummaryDto[]; cacheable: boolean }> {
  const found = await searchFilter(db, input)
    .$if(input.cursor !== undefined, (q) => q.where("t.id", "<=", input.cursor ?? 0))
    .orderBy("t.id", "desc")
    .limit(SEARCH_BLOCK + 1 + (input.cursor !== undefined ? 1 : 0))
    .execute();
  const atCursor = input.cursor !== undefined && found[0]?.id === input.cursor;
  const rows = (atCursor ? found.slice(1) : found).slice(0, SEARCH_BLOCK + 1).map(toTeamSummary);
  return { rows, cacheable: rows.length > 0 && (input.cursor === undefined || atCursor) };
}

/** teams + game + organization + ranking under the search's filters (not the cursor). */
function searchFilter(db: Kysely<Database>, input: SearchTeamsInput) {
  return teamSummaryFrom(db)
    .select(TEAM_SUMMARY_COLUMNS)
    .$if(input.gameSlug !== undefined, (q) => q.where("g.slug", "=", input.gameSlug ?? ""))
    .$if(input.organizationSlug !== undefined, (q) => q.where("org.slug", "=", input.organizationSlug ?? ""))
    .$if(input.tier !== undefined, (q) => q.where("r.tier", "=", input.tier ?? ""))
    .$if(input.namePrefix !== undefined, (q) =>
      q.where((eb) => eb(eb.fn("lower", ["t.name"]), "like", `${escapeLike((input.namePrefix ?? "").toLowerCase())}%`)),
    );
}

/** A search page read live (see searchTeams for which). */
async function selectSearchPage(db: Kysely<Database>, input: SearchTeamsInput): Promise<SearchPage> {
  const withPromotions = input.gameSlug !== undefined;
  const promoted =
    withPromotions && input.cursor === undefined
      ? await searchFilter(db, input)
          // Driven from the game's running promotions (few), not from its teams (many).
          .where(
            "t.id",
            "in",
            sql<number>`(select p.team_id from team_promotions p join games pg on pg.id = p.game_id
              where pg.slug = ${input.gameSlug ?? ""} and p.ends_at > now() and p.starts_at <= now())`,
          )
          .orderBy("t.id", "desc")
          .limit(PROMOTED_PER_PAGE)
          .execute()
      : [];
  const rows = await searchFilter(db, input)
    .$if(withPromotions, (q) => q.where(sql<boolean>`not ${promotedNow}`))
    .$if(input.cursor !== undefined, (q) => q.where("t.id", "<", input.cursor ?? 0))
    .orderBy("t.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const regular = rows.slice(0, input.limit).map((r) => ({ ...toTeamSummary(r), promoted: false }));
  return {
    items: [...promoted.map((r) => ({ ...toTeamSummary(r), promoted: true })), ...regular],
    nextCursor: rows.length > input.limit ? (regular.at(-1)?.id ?? null) : null,
  };
}

export interface MyTeamsInput {
  /** After the team joined at `at` (ms) with id `id`: the previous page's last item. */
  cursor?: { at: Date; id: number } | undefined;
  limit: number;
}

/** The largest page, and the one cached per user. */
const MY_TEAMS_FIRST_PAGE = 50;

/**
 * The signed-in user's active teams, last joined first, a page at a time. The first page is
 * cached 5 min per user (invalidated on join/leave); later pages are read live.
 */
export async function myTeams(deps: DomainDeps, actor: Actor, input: MyTeamsInput): Promise<CursorPage<MyTeamDto>> {
  const rows =
    input.cursor === undefined
      ? await deps.cache.getOrLoad("userTeams", actor.userId, () =>
          selectUserTeams(fillDb(deps), actor.userId, undefined, MY_TEAMS_FIRST_PAGE + 1),
        )
      : await selectUserTeams(deps.db, actor.userId, input.cursor, input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? `${Date.parse(last.joinedAt)}:${last.id}` : null };
}

/** Keyset on (joined_at to the millisecond, team id): the cursor carries milliseconds. */
const joinedMs = sql<Date>`date_trunc('milliseconds', m.joined_at)`;

async function selectUserTeams(
  db: Kysely<Database>,
  userId: number,
  after: { at: Date; id: number } | undefined,
  count: number,
): Promise<MyTeamDto[]> {
  const rows = await teamSummaryFrom(db)
    .innerJoin("team_memberships as m", "m.team_id", "t.id")
    .select(TEAM_SUMMARY_COLUMNS)
    .select(["m.role", "m.joined_at"])
    .where("m.user_id", "=", userId)
    .where("m.status", "=", "active")
    .$if(after !== undefined, (q) => q.where(sql<boolean>`(${joinedMs}, t.id) < (${after!.at}, ${after!.id})`))
    .orderBy(joinedMs, "desc")
    .orderBy("t.id", "desc")
    .limit(count)
    .execute();
  return rows.map((r) => ({ ...toTeamSummary(r), role: r.role, joinedAt: r.joined_at.toISOString() }));
}
