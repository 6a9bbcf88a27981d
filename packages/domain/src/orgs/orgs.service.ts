import type { Database, OrgRole } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";
import { audit } from "../shared/audit.ts";
import { fillDb, type Actor, type DomainDeps } from "../shared/deps.ts";
import { conflict, forbidden, isUniqueViolation, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { createWithSlug } from "../shared/slugs.ts";
import type { OrgDto, OrgMemberDto } from "./orgs.dto.ts";
import { canGrantOrgRole, canOnOrg, type OrgAction } from "./permissions.ts";

const iso = (value: Date | string): string => new Date(value).toISOString();

export interface CreateOrgInput {
  name: string;
  slug?: string | undefined;
  description?: string | undefined;
  website?: string | undefined;
}

/** Create an organization; its creator becomes its owner (org and membership in one statement). */
export async function createOrg(deps: DomainDeps, actor: Actor, input: CreateOrgInput): Promise<OrgDto> {
  let created: OrgDto | undefined;
  const orgSource = { ...input, kind: "org", table: "organizations", constraint: "organizations_slug_key" } as const;
  await createWithSlug(orgSource, async (slugValue) => {
    created = await withTransaction(deps.db, async (trx, afterCommit) => {
      const org = await trx
        .with("o", (db) =>
          db
            .insertInto("organizations")
            .values({
              slug: slugValue,
              name: input.name,
              description: input.description ?? "",
              website: input.website ?? null,
              owner_id: actor.userId,
            })
            .returning(["id", "slug", "name", "description", "website", "created_at"]),
        )
        .with("m", (db) =>
          db
            .insertInto("organization_memberships")
            .columns(["organization_id", "user_id", "role"])
            .expression((eb) =>
              eb.selectFrom("o").select((e) => ["o.id", e.val(actor.userId).as("user_id"), e.val("owner").as("role")]),
            ),
        )
        .selectFrom("o")
        .selectAll()
        .executeTakeFirstOrThrow();
      await audit(trx, {
        actorId: actor.userId,
        action: "org.created",
        entityType: "organization",
        entityId: String(org.id),
        data: { slug: org.slug },
      });
      afterCommit(() => deps.cache.invalidate("org", org.slug));
      return {
        id: org.id,
        slug: org.slug,
        name: org.name,
        description: org.description,
        website: org.website,
        owner: { id: actor.userId, username: actor.username, displayName: actor.displayName },
        memberCount: 1,
        createdAt: iso(org.created_at),
      };
    });
    return created.slug;
  });
  if (!created) throw new Error("createWithSlug returned without creating the organization");
  return created;
}

async function selectOrg(db: Kysely<Database>, slug: string): Promise<OrgDto | undefined> {
  const row = await db
    .selectFrom("organizations as o")
    .innerJoin("users as u", "u.id", "o.owner_id")
    .select([
      "o.id",
      "o.slug",
      "o.name",
      "o.description",
      "o.website",
      "o.created_at",
      "u.id as owner_id",
      "u.username as owner_username",
      "u.display_name as owner_display_name",
      sql<number>`(select count(*)::int from organization_memberships om where om.organization_id = o.id)`.as(
        "member_count",
      ),
    ])
    .where("o.slug", "=", slug)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    website: row.website,
    owner: { id: row.owner_id, username: row.owner_username, displayName: row.owner_display_name },
    memberCount: row.member_count,
    createdAt: iso(row.created_at),
  };
}

/** The organization's public profile, cached 15 min, invalidated by settings and member changes. */
export async function orgBySlug(deps: DomainDeps, slug: string): Promise<OrgDto> {
  const org = await deps.cache.getOrLoad("org", slug, () => selectOrg(fillDb(deps), slug));
  if (!org) throw notFound("Organization", "slug");
  return org;
}

interface OrgContext {
  id: number;
  slug: string;
  actorRole: OrgRole | null;
  target: { id: number; username: string; role: OrgRole | null } | null;
  activeTeams: number;
}

/** The org (locked when in a transaction), the actor's live role and an optional target user, in one statement. */
async function loadOrg(
  db: Kysely<Database> | Transaction<Database>,
  actor: Actor,
  slug: string,
  options: { targetUsername?: string; lock?: boolean } = {},
): Promise<OrgContext> {
  const row = await db
    .selectFrom("organizations as o")
    .leftJoin("organization_memberships as am", (j) =>
      j.onRef("am.organization_id", "=", "o.id").on("am.user_id", "=", actor.userId),
    )
    .leftJoin("users as tu", (j) => j.on("tu.username", "=", options.targetUsername ?? ""))
    .leftJoin("organization_memberships as tm", (j) =>
      j.onRef("tm.organization_id", "=", "o.id").onRef("tm.user_id", "=", "tu.id"),
    )
    .select([
      "o.id",
      "o.slug",
      "am.role as actor_role",
      "tu.id as target_id",
      "tu.username as target_username",
      "tm.role as target_role",
      sql<number>`(select count(*)::int from teams t where t.organization_id = o.id and t.disbanded_at is null)`.as(
        "active_teams",
      ),
    ])
    .where("o.slug", "=", slug)
    .$if(options.lock === true, (q) => q.forUpdate("o"))
    .executeTakeFirst();
  if (!row) throw notFound("Organization", "slug");
  return {
    id: row.id,
    slug: row.slug,
    actorRole: row.actor_role,
    target:
      row.target_id != null && row.target_username != null
        ? { id: row.target_id, username: row.target_username, role: row.target_role }
        : null,
    activeTeams: row.active_teams,
  };
}

function requireOrgAction(ctx: OrgContext, actor: Actor, action: OrgAction, message: string): void {
  if (!canOnOrg(ctx.actorRole, action, actor.isStaff)) throw forbidden(message);
}

/** The live access check other org services (the dashboard) share. */
export async function requireOrgAccess(
  deps: DomainDeps,
  actor: Actor,
  slug: string,
  action: OrgAction,
): Promise<{ id: number; slug: string }> {
  const ctx = await loadOrg(deps.db, actor, slug);
  requireOrgAction(ctx, actor, action, "Only the organization's members may do this");
  return { id: ctx.id, slug: ctx.slug };
}

export interface UpdateOrgInput {
  slug: string;
  name?: string | undefined;
  description?: string | undefined;
  website?: string | null | undefined;
}

/** Update settings (owner, admins, staff); invalidates the profile and the dashboard. */
export async function updateOrg(deps: DomainDeps, actor: Actor, input: UpdateOrgInput): Promise<OrgDto> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadOrg(trx, actor, input.slug, { lock: true });
    requireOrgAction(ctx, actor, "updateSettings", "Only the owner and admins may change settings");
    const updated = await trx
      .updateTable("organizations")
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.website !== undefined ? { website: input.website } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", ctx.id)
      // Team pages show the organization's name: a rename drops its teams' cached pages, whose
      // slugs come back from this same statement.
      .returning(
        sql<string[]>`(select coalesce(array_agg(t.slug::text), '{}') from teams t
          where t.organization_id = organizations.id)`.as("team_slugs"),
      )
      .executeTakeFirstOrThrow();
    const teamPages = input.name !== undefined ? updated.team_slugs.map((slug) => ["teamDetail", slug] as const) : [];
    await audit(trx, {
      actorId: actor.userId,
      action: "org.updated",
      entityType: "organization",
      entityId: String(ctx.id),
      data: { name: input.name, website: input.website, description: input.description !== undefined },
    });
    afterCommit(() =>
      deps.cache.invalidateMany([
        ["org", ctx.slug],
        ["orgDashboard", ctx.slug],
        // Search rows show the name too: each team page's invalidation bumps the team directory.
        ...teamPages,
      ]),
    );
  });
  return orgBySlug(deps, input.slug);
}

/**
 * Delete (owner only): refused while a team still plays under the organization. Disbanded
 * teams keep their history and simply lose the link.
 */
export async function deleteOrg(deps: DomainDeps, actor: Actor, slug: string): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadOrg(trx, actor, slug, { lock: true });
    requireOrgAction(ctx, actor, "delete", "Only the owner may delete the organization");
    if (ctx.activeTeams > 0)
      throw preconditionFailed(
        `The organization still has ${ctx.activeTeams} team(s); disband or move them first`,
        "ORG_HAS_TEAMS",
      );
    await trx.updateTable("teams").set({ organization_id: null }).where("organization_id", "=", ctx.id).execute();
    await trx.deleteFrom("organizations").where("id", "=", ctx.id).execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "org.deleted",
      entityType: "organization",
      entityId: String(ctx.id),
      data: { slug: ctx.slug },
    });
    afterCommit(() =>
      deps.cache.invalidateMany([
        ["org", ctx.slug],
        ["orgDashboard", ctx.slug],
      ]),
    );
    return { ok: true as const };
  });
}

export interface OrgMembersInput {
  slug: string;
  cursor?: number | undefined;
  limit: number;
}

/** Members by seniority, keyset-paginated on the membership id; visible to members and staff. */
export async function listMembers(
  deps: DomainDeps,
  actor: Actor,
  input: OrgMembersInput,
): Promise<{ items: OrgMemberDto[]; nextCursor: number | null }> {
  const org = await requireOrgAccess(deps, actor, input.slug, "readDashboard");
  const rows = await deps.db
    .selectFrom("organization_memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.id", "m.role", "m.created_at", "u.id as user_id", "u.username", "u.display_name"])
    .where("m.organization_id", "=", org.id)
    .$if(input.cursor !== undefined, (q) => q.where("m.id", ">", input.cursor ?? 0))
    .orderBy("m.id")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({
    id: r.id,
    user: { id: r.user_id, username: r.username, displayName: r.display_name },
    role: r.role,
    joinedAt: iso(r.created_at),
  }));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

export interface OrgMemberInput {
  slug: string;
  username: string;
}

function invalidateMembers(deps: DomainDeps, slug: string) {
  return () =>
    deps.cache.invalidateMany([
      ["org", slug],
      ["orgDashboard", slug],
    ]);
}

/** Add a user by username (owner, admins, staff), with a role below the actor's own. */
export async function addMember(
  deps: DomainDeps,
  actor: Actor,
  input: OrgMemberInput & { role: OrgRole },
): Promise<{ ok: true }> {
  try {
    return await withTransaction(deps.db, async (trx, afterCommit) => {
      const ctx = await loadOrg(trx, actor, input.slug, { targetUsername: input.username, lock: true });
      requireOrgAction(ctx, actor, "manageMembers", "Only the owner and admins may add members");
      if (!canGrantOrgRole(ctx.actorRole, input.role, actor.isStaff))
        throw forbidden(`A ${ctx.actorRole ?? "non-member"} may not add an org ${input.role}`);
      if (!ctx.target) throw notFound("User", "username");
      if (ctx.target.role != null) throw conflict("That user is already a member", "ALREADY_MEMBER", "username");
      await trx
        .insertInto("organization_memberships")
        .values({ organization_id: ctx.id, user_id: ctx.target.id, role: input.role })
        .execute();
      await audit(trx, {
        actorId: actor.userId,
        action: "org.member_added",
        entityType: "organization",
        entityId: String(ctx.id),
        data: { userId: ctx.target.id, role: input.role },
      });
      afterCommit(invalidateMembers(deps, ctx.slug));
      return { ok: true as const };
    });
  } catch (error) {
    if (isUniqueViolation(error, "organization_memberships_org_user_key"))
      throw conflict("That user is already a member", "ALREADY_MEMBER", "username");
    throw error;
  }
}

function requireOrgTarget(ctx: OrgContext): { id: number; username: string; role: OrgRole } {
  if (!ctx.target) throw notFound("User", "username");
  if (ctx.target.role == null) throw notFound("Organization member", "username");
  return { id: ctx.target.id, username: ctx.target.username, role: ctx.target.role };
}

/** Change a member's role (owner, admins, staff): from and to roles below one's own. */
export async function changeMemberRole(
  deps: DomainDeps,
  actor: Actor,
  input: OrgMemberInput & { role: OrgRole },
): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadOrg(trx, actor, input.slug, { targetUsername: input.username, lock: true });
    requireOrgAction(ctx, actor, "manageMembers", "Only the owner and admins may change roles");
    const target = requireOrgTarget(ctx);
    if (target.role === "owner") throw preconditionFailed("The owner's role cannot be changed", "ORG_OWNER");
    if (
      !canGrantOrgRole(ctx.actorRole, target.role, actor.isStaff) ||
      !canGrantOrgRole(ctx.actorRole, input.role, actor.isStaff)
    )
      throw forbidden(`A ${ctx.actorRole ?? "non-member"} may not change an org ${target.role} to ${input.role}`);
    if (target.role === input.role) throw conflict(`Already an org ${input.role}`, "SAME_ROLE", "role");
    await trx
      .updateTable("organization_memberships")
      .set({ role: input.role })
      .where("organization_id", "=", ctx.id)
      .where("user_id", "=", target.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "org.role_changed",
      entityType: "organization",
      entityId: String(ctx.id),
      data: { userId: target.id, from: target.role, to: input.role },
    });
    afterCommit(invalidateMembers(deps, ctx.slug));
    return { ok: true as const };
  });
}

/** Remove a member (owner, admins, staff; or oneself). The owner cannot be removed. */
export async function removeMember(deps: DomainDeps, actor: Actor, input: OrgMemberInput): Promise<{ ok: true }> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const ctx = await loadOrg(trx, actor, input.slug, { targetUsername: input.username, lock: true });
    const target = ctx.target;
    const self = target?.id === actor.userId && target.role != null;
    if (!self) requireOrgAction(ctx, actor, "manageMembers", "Only the owner and admins may remove members");
    const member = requireOrgTarget(ctx);
    if (member.role === "owner") throw preconditionFailed("The owner cannot be removed", "ORG_OWNER");
    if (!self && !canGrantOrgRole(ctx.actorRole, member.role, actor.isStaff))
      throw forbidden(`A ${ctx.actorRole ?? "non-member"} may not remove an org ${member.role}`);
    await trx
      .deleteFrom("organization_memberships")
      .where("organization_id", "=", ctx.id)
      .where("user_id", "=", member.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "org.member_removed",
      entityType: "organization",
      entityId: String(ctx.id),
      data: { userId: member.id, role: member.role },
    });
    afterCommit(invalidateMembers(deps, ctx.slug));
    return { ok: true as const };
  });
}
