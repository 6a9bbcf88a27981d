import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { fillDb, type Actor, type DomainDeps } from "../shared/deps.ts";
import type { OrgDashboardDto } from "./orgs.dto.ts";
import { requireOrgAccess } from "./orgs.service.ts";

const RECENT_ACTIVITY = 10;
/** The dashboard lists an organization's best-ranked teams; `teamCount` counts them all. */
const DASHBOARD_TEAMS = 50;

/**
 * The organization dashboard. Access is checked live on every call (1 query, never cached);
 * the numbers are cached 15 min and invalidated after commit by roster, team and member changes.
 * Uncached: session + access + top teams + per-game counts + members + activity = 6 queries (budget 8).
 */
export async function orgDashboard(deps: DomainDeps, actor: Actor, slug: string): Promise<OrgDashboardDto> {
  const org = await requireOrgAccess(deps, actor, slug, "readDashboard");
  return deps.cache.getOrLoad("orgDashboard", org.slug, () => loadDashboard(fillDb(deps), org.id));
}

async function loadDashboard(db: Kysely<Database>, orgId: number): Promise<OrgDashboardDto> {
  // The best-ranked teams with game and ranking in one statement; an organization may hold
  // thousands of teams, so the list is capped and the totals come from an aggregate.
  const teams = await db
    .selectFrom("organizations as o")
    .leftJoin("teams as t", (j) => j.onRef("t.organization_id", "=", "o.id").on("t.disbanded_at", "is", null))
    .leftJoin("games as g", "g.id", "t.game_id")
    .leftJoin("team_rankings as r", (j) => j.onRef("r.team_id", "=", "t.id").onRef("r.game_id", "=", "t.game_id"))
    .select([
      "o.id as org_id",
      "o.slug as org_slug",
      "o.name as org_name",
      "t.id",
      "t.slug",
      "t.name",
      "t.member_count",
      "g.slug as game_slug",
      "g.name as game_name",
      "r.rank",
      "r.tier",
      "r.current_cp",
    ])
    .where("o.id", "=", orgId)
    .orderBy(sql`r.current_cp desc nulls last`)
    .orderBy("t.id")
    .limit(DASHBOARD_TEAMS)
    .execute();
  const head = teams[0];
  if (!head) throw new Error(`organization ${orgId} vanished`);
  const perGame = await db
    .selectFrom("teams as t")
    .innerJoin("games as g", "g.id", "t.game_id")
    .select(["g.slug", "g.name", (eb) => eb.fn.countAll<string>().as("n")])
    .where("t.organization_id", "=", orgId)
    .where("t.disbanded_at", "is", null)
    .groupBy(["g.slug", "g.name"])
    .orderBy("g.slug")
    .execute();
  const members = await db
    .selectFrom("organization_memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organization_id", "=", orgId)
    .executeTakeFirstOrThrow();
  // Latest audited actions on the organization and its teams (audit_log_entity_idx serves both arms).
  const activity = await db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .select(["a.id", "a.action", "a.entity_type", "a.entity_id", "a.created_at", "u.username"])
    .where((eb) =>
      eb.or([
        eb.and([eb("a.entity_type", "=", "organization"), eb("a.entity_id", "=", String(orgId))]),
        eb.and([
          eb("a.entity_type", "=", "team"),
          eb(
            "a.entity_id",
            "in",
            eb
              .selectFrom("teams as ot")
              .select(sql<string>`ot.id::text`.as("id"))
              .where("ot.organization_id", "=", orgId),
          ),
        ]),
      ]),
    )
    .orderBy("a.id", "desc")
    .limit(RECENT_ACTIVITY)
    .execute();

  const teamRows = teams.flatMap((t) =>
    t.slug != null && t.name != null && t.game_slug != null && t.game_name != null
      ? [
          {
            slug: t.slug,
            name: t.name,
            game: { slug: t.game_slug, name: t.game_name },
            memberCount: t.member_count ?? 0,
            rank: t.rank ?? null,
            tier: t.tier ?? null,
            currentCp: t.current_cp ?? null,
          },
        ]
      : [],
  );
  const teamsPerGame = perGame.map((g) => ({ gameSlug: g.slug, gameName: g.name, teams: Number(g.n) }));
  return {
    organization: { id: head.org_id, slug: head.org_slug, name: head.org_name },
    teamCount: teamsPerGame.reduce((sum, g) => sum + g.teams, 0),
    memberCount: Number(members.n),
    teamsPerGame,
    teams: teamRows,
    recentActivity: activity.map((a) => ({
      id: String(a.id),
      action: a.action,
      entityType: a.entity_type,
      entityId: a.entity_id,
      actor: a.username,
      at: new Date(a.created_at).toISOString(),
    })),
    generatedAt: new Date().toISOString(),
  };
}
