import type { Database, InviteRole, TeamRole } from "@deltacrown/db";
import { sql, type Transaction } from "kysely";
import { newToken } from "../identity/tokens.ts";
import { notify } from "../notifications/notify.ts";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { conflict, forbidden, isUniqueViolation, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { canGrantRole, canOnTeam } from "./permissions.ts";
import { invalidateAndAnnounce } from "./roster-events.ts";
import type { InviteDto, Page } from "./teams.dto.ts";

export interface InviteInput {
  teamSlug: string;
  username: string;
  role: InviteRole;
}

/** Invite a user by username. Permission and roster state are read live in one statement. */
export async function inviteMember(deps: DomainDeps, actor: Actor, input: InviteInput): Promise<InviteDto> {
  const found = await deps.db
    .selectFrom("teams as t")
    .leftJoin("users as invitee", (j) => j.on("invitee.username", "=", input.username))
    .leftJoin("team_memberships as am", (j) =>
      j.onRef("am.team_id", "=", "t.id").on("am.user_id", "=", actor.userId).on("am.status", "=", "active"),
    )
    .leftJoin("team_memberships as im", (j) =>
      j.onRef("im.team_id", "=", "t.id").onRef("im.user_id", "=", "invitee.id"),
    )
    .select([
      "t.id as team_id",
      "t.slug",
      "t.name",
      "am.role as actor_role",
      "invitee.id as invitee_id",
      "invitee.username as invitee_username",
      "im.status as invitee_status",
    ])
    .where("t.slug", "=", input.teamSlug)
    .where("t.disbanded_at", "is", null)
    .executeTakeFirst();
  if (!found) throw notFound("Team", "teamSlug");
  const actorRole: TeamRole | null = found.actor_role;
  if (!canOnTeam(actorRole, "inviteMembers", actor.isStaff))
    throw forbidden("Only the owner, managers and captains may invite");
  if (!canGrantRole(actorRole, input.role, actor.isStaff))
    throw forbidden(`A ${actorRole ?? "non-member"} may not invite a ${input.role}`);
  if (found.invitee_id == null || found.invitee_username == null) throw notFound("User", "username");
  if (found.invitee_id === actor.userId) throw conflict("You cannot invite yourself", "SELF_INVITE", "username");
  if (found.invitee_status === "active")
    throw conflict("That user is already on the team", "ALREADY_MEMBER", "username");
  const inviteeId = found.invitee_id;
  const { hash } = newToken("dci");
  try {
    return await withTransaction(deps.db, async (trx) => {
      const invite = await trx
        .insertInto("team_invites")
        .values({
          team_id: found.team_id,
          invitee_id: inviteeId,
          inviter_id: actor.userId,
          role: input.role,
          token_hash: hash,
          expires_at: sql<Date>`now() + make_interval(days => ${deps.config.inviteTtlDays})`,
        })
        .returning(["id", "role", "status", "created_at", "expires_at"])
        .executeTakeFirstOrThrow();
      await notify(trx, [
        {
          userId: inviteeId,
          kind: "team.invite",
          payload: {
            inviteId: invite.id,
            teamSlug: found.slug,
            teamName: found.name,
            role: input.role,
            from: actor.username,
          },
        },
      ]);
      await audit(trx, {
        actorId: actor.userId,
        action: "team.invite_sent",
        entityType: "team",
        entityId: String(found.team_id),
        data: { inviteId: invite.id, invitee: found.invitee_username, role: input.role },
      });
      return {
        id: invite.id,
        role: invite.role,
        status: invite.status,
        createdAt: invite.created_at.toISOString(),
        expiresAt: invite.expires_at.toISOString(),
        team: { id: found.team_id, slug: found.slug, name: found.name },
        invitee: { id: inviteeId, username: found.invitee_username ?? input.username },
        inviter: { id: actor.userId, username: actor.username },
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, "team_invites_one_pending_key"))
      throw conflict("That user already has a pending invite to this team", "INVITE_PENDING", "username");
    throw error;
  }
}

/** Pending, unexpired invites addressed to the signed-in user, newest first, a page at a time. Never cached: it is an inbox. */
export async function myPendingInvites(
  deps: DomainDeps,
  actor: Actor,
  input: { cursor?: number | undefined; limit: number },
): Promise<Page<InviteDto>> {
  const rows = await deps.db
    .selectFrom("team_invites as i")
    .innerJoin("teams as t", "t.id", "i.team_id")
    .innerJoin("users as inviter", "inviter.id", "i.inviter_id")
    .select([
      "i.id",
      "i.role",
      "i.status",
      "i.created_at",
      "i.expires_at",
      "t.id as team_id",
      "t.slug as team_slug",
      "t.name as team_name",
      "inviter.id as inviter_id",
      "inviter.username as inviter_username",
    ])
    .where("i.invitee_id", "=", actor.userId)
    .where("i.status", "=", "pending")
    .where("i.expires_at", ">", sql<Date>`now()`)
    .where("t.disbanded_at", "is", null)
    .$if(input.cursor !== undefined, (q) => q.where("i.id", "<", input.cursor!))
    .orderBy("i.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({
    id: r.id,
    role: r.role,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    team: { id: r.team_id, slug: r.team_slug, name: r.team_name },
    invitee: { id: actor.userId, username: actor.username },
    inviter: { id: r.inviter_id, username: r.inviter_username },
  }));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Why an invite can no longer be answered, as a clear typed error. */
function assertAnswerable(invite: { status: string; expired: boolean; disbanded: boolean }): void {
  if (invite.status === "accepted" || invite.status === "declined")
    throw conflict(`This invite was already ${invite.status}`, "INVITE_USED");
  if (invite.status === "revoked") throw preconditionFailed("This invite was revoked", "INVITE_REVOKED");
  if (invite.status === "expired" || invite.expired)
    throw preconditionFailed("This invite has expired", "INVITE_EXPIRED");
  if (invite.disbanded) throw preconditionFailed("This team was disbanded", "TEAM_DISBANDED");
}

/**
 * Loads and locks an invite addressed to `actor`, refusing one that can no longer be answered.
 * Someone else's invite is reported as missing, not forbidden: ids must not leak.
 */
async function lockAnswerableInvite(trx: Transaction<Database>, actor: Actor, inviteId: number) {
  const invite = await trx
    .selectFrom("team_invites as i")
    .innerJoin("teams as t", "t.id", "i.team_id")
    .leftJoin("organizations as org", "org.id", "t.organization_id")
    .select([
      "i.id",
      "i.team_id",
      "i.invitee_id",
      "i.inviter_id",
      "i.role",
      "i.status",
      "t.slug",
      "org.slug as org_slug",
      sql<boolean>`i.expires_at <= now()`.as("expired"),
      sql<boolean>`t.disbanded_at is not null`.as("disbanded"),
    ])
    .where("i.id", "=", inviteId)
    .forUpdate("i")
    .executeTakeFirst();
  if (!invite || invite.invitee_id !== actor.userId) throw notFound("Invite", "inviteId");
  assertAnswerable(invite);
  return invite;
}

/**
 * Accept: the team row, then the invite row are locked (the written lock order: a team before
 * its invites, as disbanding takes them — the opposite order deadlocked against a disband), the
 * membership created or (for a former member) reactivated in place, the count and the invite
 * updated — all in one transaction.
 */
export async function acceptInvite(
  deps: DomainDeps,
  actor: Actor,
  inviteId: number,
): Promise<{ teamSlug: string; role: TeamRole }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    await trx
      .selectFrom("teams")
      .select("id")
      .where("id", "=", (eb) =>
        eb
          .selectFrom("team_invites")
          .select("team_id")
          .where("id", "=", inviteId)
          .where("invitee_id", "=", actor.userId),
      )
      .forUpdate()
      .execute();
    // A fresh statement after the team lock: it sees what a disband that held the lock committed.
    const invite = await lockAnswerableInvite(trx, actor, inviteId);
    const membership = await trx
      .insertInto("team_memberships")
      .values({ team_id: invite.team_id, user_id: actor.userId, role: invite.role })
      .onConflict((oc) =>
        oc
          .columns(["team_id", "user_id"])
          .doUpdateSet({ status: "active", role: invite.role, left_at: null, joined_at: sql<Date>`now()` })
          .where("team_memberships.status", "=", "left"),
      )
      .returning("id")
      .executeTakeFirst();
    if (!membership) throw conflict("You are already on this team", "ALREADY_MEMBER");
    await trx
      .with("inv", (db) =>
        db
          .updateTable("team_invites")
          .set({ status: "accepted", responded_at: sql<Date>`now()` })
          .where("id", "=", invite.id),
      )
      .updateTable("teams")
      .set((eb) => ({ member_count: eb("member_count", "+", 1), updated_at: sql<Date>`now()` }))
      .where("id", "=", invite.team_id)
      .execute();
    await notify(trx, [
      {
        userId: invite.inviter_id,
        kind: "team.invite_accepted",
        payload: { inviteId: invite.id, teamSlug: invite.slug, username: actor.username },
      },
    ]);
    await audit(trx, {
      actorId: actor.userId,
      action: "team.invite_accepted",
      entityType: "team",
      entityId: String(invite.team_id),
      data: { inviteId: invite.id, role: invite.role },
    });
    afterCommit(() =>
      invalidateAndAnnounce(
        deps,
        [
          ["teamDetail", invite.slug],
          ["userTeams", actor.userId],
          ...(invite.org_slug != null ? [["orgDashboard", invite.org_slug] as const] : []),
        ],
        { id: invite.team_id, slug: invite.slug },
      ),
    );
    return { teamSlug: invite.slug, role: invite.role };
  });
}

export async function declineInvite(deps: DomainDeps, actor: Actor, inviteId: number): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx) => {
    const invite = await lockAnswerableInvite(trx, actor, inviteId);
    await trx
      .updateTable("team_invites")
      .set({ status: "declined", responded_at: sql<Date>`now()` })
      .where("id", "=", invite.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "team.invite_declined",
      entityType: "team",
      entityId: String(invite.team_id),
      data: { inviteId: invite.id },
    });
    return { ok: true as const };
  });
}

/**
 * Revoke a pending invite (whoever may invite, for a role below their own; staff any). The
 * actor's role is read live in the statement that loads and locks the invite.
 */
export async function revokeInvite(deps: DomainDeps, actor: Actor, inviteId: number): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx) => {
    const invite = await trx
      .selectFrom("team_invites as i")
      .innerJoin("teams as t", "t.id", "i.team_id")
      .leftJoin("team_memberships as am", (j) =>
        j.onRef("am.team_id", "=", "t.id").on("am.user_id", "=", actor.userId).on("am.status", "=", "active"),
      )
      .select([
        "i.id",
        "i.team_id",
        "i.invitee_id",
        "i.role",
        "i.status",
        "am.role as actor_role",
        sql<boolean>`i.expires_at <= now()`.as("expired"),
        sql<boolean>`t.disbanded_at is not null`.as("disbanded"),
      ])
      .where("i.id", "=", inviteId)
      .forUpdate("i")
      .executeTakeFirst();
    if (!invite) throw notFound("Invite", "inviteId");
    const actorRole: TeamRole | null = invite.actor_role;
    if (!canOnTeam(actorRole, "inviteMembers", actor.isStaff) || !canGrantRole(actorRole, invite.role, actor.isStaff))
      throw forbidden("Only the owner, managers and captains may revoke invites (for roles below their own)");
    assertAnswerable(invite);
    await trx
      .updateTable("team_invites")
      .set({ status: "revoked", responded_at: sql<Date>`now()` })
      .where("id", "=", invite.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "team.invite_revoked",
      entityType: "team",
      entityId: String(invite.team_id),
      data: { inviteId: invite.id, inviteeId: invite.invitee_id, role: invite.role },
    });
    return { ok: true as const };
  });
}
