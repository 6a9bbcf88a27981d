import type { Database, PostPolicy, TeamRole, Visibility } from "@deltacrown/db";
import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { canOnTeam, ROLE_RANK, type TeamAction } from "../teams/permissions.ts";

/** One team as a social decision needs it: ids, settings and the actor's live role. */
export interface TeamAccess {
  teamId: number;
  slug: string;
  name: string;
  gameId: number;
  actorRole: TeamRole | null;
  rosterVisibility: Visibility;
  feedVisibility: Visibility;
  postPolicy: PostPolicy;
  acceptsJoinRequests: boolean;
}

/**
 * Loads a live team with the actor's active role in ONE statement; `lock` takes the team row
 * (writes that must be serialized per team, e.g. pinning). Permissions are never cached.
 */
export async function loadTeamAccess(
  db: Kysely<Database> | Transaction<Database>,
  actorId: number | null,
  slug: string,
  options: { lock?: boolean } = {},
): Promise<TeamAccess> {
  const row = await db
    .selectFrom("teams as t")
    .leftJoin("team_memberships as m", (j) =>
      j
        .onRef("m.team_id", "=", "t.id")
        .on("m.user_id", "=", actorId ?? 0)
        .on("m.status", "=", "active"),
    )
    .select([
      "t.id",
      "t.slug",
      "t.name",
      "t.game_id",
      "m.role",
      "t.roster_visibility",
      "t.feed_visibility",
      "t.post_policy",
      "t.accepts_join_requests",
    ])
    .where("t.slug", "=", slug)
    .where("t.disbanded_at", "is", null)
    .$if(options.lock === true, (q) => q.forUpdate("t"))
    .executeTakeFirst();
  if (!row) throw notFound("Team", "teamSlug");
  return {
    teamId: row.id,
    slug: row.slug,
    name: row.name,
    gameId: row.game_id,
    actorRole: row.role ?? null,
    rosterVisibility: row.roster_visibility,
    feedVisibility: row.feed_visibility,
    postPolicy: row.post_policy,
    acceptsJoinRequests: row.accepts_join_requests,
  };
}

export function requireTeamAction(access: TeamAccess, actor: Actor, action: TeamAction, message: string): void {
  if (!canOnTeam(access.actorRole, action, actor.isStaff)) throw forbidden(message);
}

/** The lowest role rank each post policy admits (team settings, "who may post"). */
const POST_POLICY_MIN_RANK: Record<PostPolicy, number> = {
  members: ROLE_RANK.substitute,
  captains: ROLE_RANK.captain,
  managers: ROLE_RANK.manager,
};

/** Active members the team's post policy admits; staff always. */
export function mayPost(role: TeamRole | null, policy: PostPolicy, isStaff: boolean): boolean {
  if (isStaff) return true;
  return role != null && ROLE_RANK[role] >= POST_POLICY_MIN_RANK[policy];
}

/** A members-only feed (or roster) is shown to the team's active members and staff. */
export function maySee(visibility: Visibility, role: TeamRole | null, isStaff: boolean): boolean {
  return visibility === "public" || role != null || isStaff;
}
