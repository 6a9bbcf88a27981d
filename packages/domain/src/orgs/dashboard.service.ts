import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import type { OrgDashboardDto } from "./orgs.dto.ts";
import { requireOrgAccess } from "./orgs.service.ts";

const RECENT_ACTIVITY = 10;

/**
 * The organization dashboard. Access is checked live on every call (1 query, never cached);
 * the numbers are cached 15 min and invalidated after commit by roster, team and member changes.
 * Uncached: session + access + teams + members + activity = 5 queries (budget 8).
 */
export async function orgDashboard(deps: DomainDeps, actor: Actor, slug: string): Promise<OrgDashboardDto> {
  const org = await requireOrgAccess(deps, actor, slug, "readDashboard");
  return deps.cache.getOrLoad("orgDashboard", org.slug, () => loadDashboard(deps.db, org.id));
}

async function loadDashboard(db: Kysely<Database>, orgId: number): Promise<OrgDashboardDto> {
  // Teams with game and ranking in one statement; counts per game derive from it.
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
    .orderBy("g.slug")
    .orderBy("r.rank")
    .orderBy("t.id")
    .execute();
  const head = teams[0];
  if (!head) throw new Error(`organization ${orgId} vanished`);
  const members = await db
    .selectFrom("organization_memberships")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("organization_id", "=", orgId)
    .executeTakeFirstOrThrow();
  const teamIds = teams.flatMap((t) => (t.id != null ? [String(t.id)] : []));
  // Latest audited actions on the organization and its teams (audit_log_entity_idx serves both arms).
  const activity = await db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .select(["a.id", "a.action", "a.entity_type", "a.entity_id", "a.created_at", "u.username"])
    .where((eb) =>
      eb.or([
        eb.and([eb("a.entity_type", "=", "organization"), eb("a.entity_id", "=", String(orgId))]),
        ...(teamIds.length > 0
          ? [eb.and([eb("a.entity_type", "=", "team"), eb("a.entity_id", "=", sql<string>`any(${teamIds})`)])]
          : []),
      ]),
    )
    .orderBy("a.id", "desc")
    .limit(RECENT_ACTIVITY)
    .execute();

  const perGame = new Map<string, { gameSlug: string; gameName: string; teams: number }>();
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
  for (const t of teamRows) {
    const entry = perGame.get(t.game.slug) ?? { gameSlug: t.game.slug, gameName: t.game.name, teams: 0 };
    entry.teams++;
    perGame.set(t.game.slug, entry);
  }
  return {
    organization: { id: head.org_id, slug: head.org_slug, name: head.org_name },
    teamCount: teamRows.length,
    memberCount: Number(members.n),
    teamsPerGame: [...perGame.values()],
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
