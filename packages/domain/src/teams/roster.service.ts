import type { Database, TeamRole } from "@deltacrown/db";
import { sql, type Transaction } from "kysely";
import type { CacheFamily } from "../cache/families.ts";
import { notify } from "../notifications/notify.ts";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest, conflict, forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction, type AfterCommit } from "../shared/transaction.ts";
import { canGrantRole, canOnTeam, type TeamAction } from "./permissions.ts";
import { invalidateAndAnnounce } from "./roster-events.ts";
import type { TeamDetailDto } from "./teams.dto.ts";
import { teamBySlug } from "./teams.service.ts";

/** One team, locked, with the actor's live role, an optional target member and the active roster's ids. */
interface RosterContext {
  teamId: number;
  slug: string;
  name: string;
  orgSlug: string | null;
  actorRole: TeamRole | null;
  target: { id: number; username: string; role: TeamRole | null } | null;
  memberIds: number[];
}

/**
 * Loads and locks the team row (roster writes on one team are serialized, so the precomputed
 * member_count stays exact) with everything a roster decision needs, in ONE statement.
 */
async function loadRoster(
  trx: Transaction<Database>,
  actor: Actor,
  teamSlug: string,
  targetUsername?: string,
): Promise<RosterContext> {
  const row = await trx
    .selectFrom("teams as t")
    .leftJoin("organizations as org", "org.id", "t.organization_id")
    .leftJoin("team_memberships as am", (j) =>
      j.onRef("am.team_id", "=", "t.id").on("am.user_id", "=", actor.userId).on("am.status", "=", "active"),
    )
    .leftJoin("users as tu", (j) => j.on("tu.username", "=", targetUsername ?? ""))
    .leftJoin("team_memberships as tm", (j) =>
      j.onRef("tm.team_id", "=", "t.id").onRef("tm.user_id", "=", "tu.id").on("tm.status", "=", "active"),
    )
    .select([
      "t.id",
      "t.slug",
      "t.name",
      "org.slug as org_slug",
      "am.role as actor_role",
      "tu.id as target_id",
      "tu.username as target_username",
      "tm.role as target_role",
      sql<number[]>`array(select m.user_id from team_memberships m where m.team_id = t.id and m.status = 'active')`.as(
        "member_ids",
      ),
    ])
    .where("t.slug", "=", teamSlug)
    .where("t.disbanded_at", "is", null)
    .forUpdate("t")
    .executeTakeFirst();
  if (!row) throw notFound("Team", "slug");
  return {
    teamId: row.id,
    slug: row.slug,
    name: row.name,
    orgSlug: row.org_slug,
    actorRole: row.actor_role,
    target:
      row.target_id != null && row.target_username != null
        ? { id: row.target_id, username: row.target_username, role: row.target_role }
        : null,
    memberIds: row.member_ids,
  };
}

function requireAction(ctx: RosterContext, actor: Actor, action: TeamAction, message: string): void {
  if (!canOnTeam(ctx.actorRole, action, actor.isStaff)) throw forbidden(message);
}

/** The target must be an active member other than the actor. */
function requireTargetMember(ctx: RosterContext, actor: Actor): { id: number; username: string; role: TeamRole } {
  const t = ctx.target;
  if (!t) throw notFound("User", "username");
  if (t.role == null) throw notFound("Team member", "username");
  if (t.id === actor.userId) throw badRequest("You cannot do this to yourself", "SELF_TARGET", "username");
  return { id: t.id, username: t.username, role: t.role };
}

/** After commit: the team page, each affected user's team list and the organization's dashboard. */
function invalidateRoster(deps: DomainDeps, afterCommit: AfterCommit, ctx: RosterContext, userIds: readonly number[]) {
  const entries: [CacheFamily, string | number][] = [["teamDetail", ctx.slug]];
  for (const id of new Set(userIds)) entries.push(["userTeams", id]);
  if (ctx.orgSlug != null) entries.push(["orgDashboard", ctx.orgSlug]);
  afterCommit(() => invalidateAndAnnounce(deps, entries, { id: ctx.teamId, slug: ctx.slug }));
}

/**
 * Under READ COMMITTED, a call that waited for the team lock saw the other rows of its first
 * statement as they were before the lock holder committed. Each write therefore re-checks the
 * state it relies on in its own WHERE clause (a fresh snapshot) and refuses if it changed.
 */
const rosterChanged = () => conflict("The roster changed meanwhile; reload and try again", "ROSTER_CHANGED");

/** Marks an active membership left and decrements the precomputed count only if it really was active. */
async function deactivateMembership(trx: Transaction<Database>, teamId: number, userId: number): Promise<void> {
  const row = await trx
    .with("m", (db) =>
      db
        .updateTable("team_memberships")
        .set({ status: "left", left_at: sql<Date>`now()` })
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId)
        .where("status", "=", "active")
        .returning("id"),
    )
    .updateTable("teams")
    .set({ member_count: sql<number>`member_count - (select count(*) from m)`, updated_at: sql<Date>`now()` })
    .where("id", "=", teamId)
    .returning(sql<number>`(select count(*)::int from m)`.as("left"))
    .executeTakeFirst();
  if (row?.left !== 1) throw rosterChanged();
}

export interface UpdateTeamInput {
  slug: string;
  name?: string | undefined;
  tag?: string | null | undefined;
  description?: string | undefined;
}

/** Edit the team's profile (owner, managers, staff). */
export async function updateTeam(deps: DomainDeps, actor: Actor, input: UpdateTeamInput): Promise<TeamDetailDto> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, input.slug);
    requireAction(ctx, actor, "editProfile", "Only the owner and managers may edit the team profile");
    await trx
      .updateTable("teams")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.tag !== undefined ? { tag: input.tag } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", ctx.teamId)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "team.updated",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { name: input.name, tag: input.tag, description: input.description !== undefined },
    });
    // Every member's team list shows the name and tag.
    invalidateRoster(deps, afterCommit, ctx, ctx.memberIds);
  });
  return teamBySlug(deps, input.slug, () => Promise.resolve(actor));
}

/**
 * Disband (owner or staff): the team is marked disbanded, its pending invites revoked, its
 * members notified. Memberships stay, for history.
 */
export async function disbandTeam(deps: DomainDeps, actor: Actor, slug: string): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, slug);
    requireAction(ctx, actor, "disband", "Only the owner may disband the team");
    await trx
      .with("inv", (db) =>
        db
          .updateTable("team_invites")
          .set({ status: "revoked", responded_at: sql<Date>`now()` })
          .where("team_id", "=", ctx.teamId)
          .where("status", "=", "pending"),
      )
      .updateTable("teams")
      .set({ disbanded_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where("id", "=", ctx.teamId)
      .execute();
    await notify(
      trx,
      ctx.memberIds
        .filter((id) => id !== actor.userId)
        .map((userId) => ({
          userId,
          kind: "team.disbanded",
          payload: { teamSlug: ctx.slug, teamName: ctx.name, by: actor.username },
        })),
    );
    await audit(trx, {
      actorId: actor.userId,
      action: "team.disbanded",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { slug: ctx.slug, members: ctx.memberIds.length },
    });
    invalidateRoster(deps, afterCommit, ctx, ctx.memberIds);
    return { ok: true as const };
  });
}

/** Remove another member (owner, managers, staff), only one whose role is below one's own. */
export async function removeMember(
  deps: DomainDeps,
  actor: Actor,
  input: { slug: string; username: string },
): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, input.slug, input.username);
    requireAction(ctx, actor, "removeMembers", "Only the owner and managers may remove members");
    const target = requireTargetMember(ctx, actor);
    if (!canGrantRole(ctx.actorRole, target.role, actor.isStaff))
      throw forbidden(`A ${ctx.actorRole ?? "non-member"} may not remove a ${target.role}`);
    await deactivateMembership(trx, ctx.teamId, target.id);
    await notify(trx, [
      {
        userId: target.id,
        kind: "team.member_removed",
        payload: { teamSlug: ctx.slug, teamName: ctx.name, by: actor.username },
      },
    ]);
    await audit(trx, {
      actorId: actor.userId,
      action: "team.member_removed",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { userId: target.id, username: target.username, role: target.role },
    });
    invalidateRoster(deps, afterCommit, ctx, [target.id]);
    return { ok: true as const };
  });
}

/** Change a member's role: only from and to roles below the actor's own (staff: any but owner). */
export async function changeRole(
  deps: DomainDeps,
  actor: Actor,
  input: { slug: string; username: string; role: TeamRole },
): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, input.slug, input.username);
    requireAction(ctx, actor, "changeRoles", "Only the owner and managers may change roles");
    const target = requireTargetMember(ctx, actor);
    if (input.role === "owner") throw badRequest("Ownership moves only by transferOwnership", "USE_TRANSFER", "role");
    if (
      !canGrantRole(ctx.actorRole, target.role, actor.isStaff) ||
      !canGrantRole(ctx.actorRole, input.role, actor.isStaff)
    )
      throw forbidden(`A ${ctx.actorRole ?? "non-member"} may not change a ${target.role} to ${input.role}`);
    if (target.role === input.role)
      throw conflict(`${target.username} already is a ${input.role}`, "SAME_ROLE", "role");
    const changed = await trx
      .updateTable("team_memberships")
      .set({ role: input.role })
      .where("team_id", "=", ctx.teamId)
      .where("user_id", "=", target.id)
      .where("status", "=", "active")
      .where("role", "=", target.role)
      .executeTakeFirst();
    if (changed.numUpdatedRows !== 1n) throw rosterChanged();
    await notify(trx, [
      {
        userId: target.id,
        kind: "team.role_changed",
        payload: {
          teamSlug: ctx.slug,
          teamName: ctx.name,
          from: target.role,
          to: input.role,
          role: input.role,
          by: actor.username,
        },
      },
    ]);
    await audit(trx, {
      actorId: actor.userId,
      action: "team.role_changed",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { userId: target.id, from: target.role, to: input.role },
    });
    invalidateRoster(deps, afterCommit, ctx, [target.id]);
    return { ok: true as const };
  });
}

/** Leave a team: everyone but the owner, who must transfer ownership first. */
export async function leaveTeam(deps: DomainDeps, actor: Actor, slug: string): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, slug);
    if (ctx.actorRole == null) throw forbidden("You are not on this team");
    if (ctx.actorRole === "owner")
      throw preconditionFailed("The owner must transfer ownership before leaving", "OWNER_MUST_TRANSFER");
    await deactivateMembership(trx, ctx.teamId, actor.userId);
    await audit(trx, {
      actorId: actor.userId,
      action: "team.member_left",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { role: ctx.actorRole },
    });
    invalidateRoster(deps, afterCommit, ctx, [actor.userId]);
    return { ok: true as const };
  });
}

/** Owner only (not staff): the new owner must be an active member; the old owner becomes a manager. */
export async function transferOwnership(
  deps: DomainDeps,
  actor: Actor,
  input: { slug: string; username: string },
): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadRoster(trx, actor, input.slug, input.username);
    requireAction(ctx, actor, "transferOwnership", "Only the owner may transfer ownership");
    const target = requireTargetMember(ctx, actor);
    // Guarded: the team must still be the actor's and both memberships still active.
    const moved = await trx
      .with("m", (db) =>
        db
          .updateTable("team_memberships")
          .set({ role: sql<TeamRole>`case when user_id = ${target.id} then 'owner' else 'manager' end` })
          .where("team_id", "=", ctx.teamId)
          .where("user_id", "in", [target.id, actor.userId])
          .where("status", "=", "active")
          .returning("user_id"),
      )
      .updateTable("teams")
      .set({ owner_id: target.id, updated_at: sql<Date>`now()` })
      .where("id", "=", ctx.teamId)
      .where("owner_id", "=", actor.userId)
      .returning(sql<number>`(select count(*)::int from m)`.as("changed"))
      .executeTakeFirst();
    if (moved?.changed !== 2) throw rosterChanged();
    await notify(trx, [
      {
        userId: target.id,
        kind: "team.role_changed",
        payload: {
          teamSlug: ctx.slug,
          teamName: ctx.name,
          from: target.role,
          to: "owner",
          role: "owner",
          by: actor.username,
        },
      },
    ]);
    await audit(trx, {
      actorId: actor.userId,
      action: "team.ownership_transferred",
      entityType: "team",
      entityId: String(ctx.teamId),
      data: { from: actor.userId, to: target.id },
    });
    invalidateRoster(deps, afterCommit, ctx, [target.id, actor.userId]);
    return { ok: true as const };
  });
}
