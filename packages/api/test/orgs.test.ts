/**
 * Organizations: create, profile (cached, invalidated by settings), members (paginated, role
 * rules read live), delete (refused while teams remain) and the dashboard (≤ 8 queries, cached,
 * invalidated by team and roster changes). Every refusal is typed and writes nothing.
 */
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { useApi, type Caller } from "./support.ts";

describe("organizations", () => {
  const api = useApi();

  const refused = api.refused;

  /** What the worker's audit/write task does, so the dashboard has activity to show. */
  async function applyAuditJobs() {
    await sql`insert into audit_log (actor_id, action, entity_type, entity_id, data)
      select (payload->>'actorId')::int, payload->>'action', payload->>'entityType', payload->>'entityId',
             coalesce(payload->'data', '{}')::jsonb
      from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'audit/write'
      order by j.id`.execute(api.db);
  }

  it("the creator owns the org; the profile is cached and fresh after a settings change", async () => {
    const owner = await api.user("og_owner");
    const org = await owner.caller.orgs.create({ name: "Crown Esports" });
    expect(org).toMatchObject({ slug: "crown-esports", memberCount: 1, owner: { username: "og_owner" } });
    const role = await api.db
      .selectFrom("organization_memberships")
      .select("role")
      .where("user_id", "=", owner.user.id)
      .executeTakeFirst();
    expect(role?.role).toBe("owner");
    await api.caller().orgs.bySlug({ slug: org.slug });
    expect((await api.measure(() => api.caller().orgs.bySlug({ slug: org.slug }))).report.ledger.count).toBe(0);
    await owner.caller.orgs.update({ slug: org.slug, name: "Crown Gaming", website: "https://crown.example" });
    expect(await api.caller().orgs.bySlug({ slug: org.slug })).toMatchObject({
      name: "Crown Gaming",
      website: "https://crown.example",
    });
  });

  it("members: paginated, added and changed only below one's own role, the owner never removed", async () => {
    const owner = await api.user("om_owner");
    const org = await owner.caller.orgs.create({ name: "Member Org" });
    const [admin, mgr, mem, other] = [
      await api.user("om_admin"),
      await api.user("om_mgr"),
      await api.user("om_mem"),
      await api.user("om_other"),
    ];
    await owner.caller.orgs.addMember({ slug: org.slug, username: "om_admin", role: "admin" });
    await admin.caller.orgs.addMember({ slug: org.slug, username: "om_mgr", role: "manager" });
    await admin.caller.orgs.addMember({ slug: org.slug, username: "om_mem" });
    expect((await api.caller().orgs.bySlug({ slug: org.slug })).memberCount).toBe(4);

    const first = await mem.caller.orgs.members({ slug: org.slug, limit: 3 });
    expect(first.items.map((m) => m.user.username)).toEqual(["om_owner", "om_admin", "om_mgr"]);
    const second = await mem.caller.orgs.members({ slug: org.slug, limit: 3, cursor: first.nextCursor ?? 0 });
    expect(second).toMatchObject({ items: [{ user: { username: "om_mem" }, role: "member" }], nextCursor: null });

    await refused(() => admin.caller.orgs.addMember({ slug: org.slug, username: "om_other", role: "admin" }), {
      code: "FORBIDDEN",
    });
    await refused(() => mgr.caller.orgs.addMember({ slug: org.slug, username: "om_other" }), { code: "FORBIDDEN" });
    await refused(() => mem.caller.orgs.update({ slug: org.slug, description: "mine now" }), { code: "FORBIDDEN" });
    await refused(() => other.caller.orgs.members({ slug: org.slug, limit: 10 }), { code: "FORBIDDEN" });
    await refused(() => admin.caller.orgs.removeMember({ slug: org.slug, username: "om_owner" }), {
      code: "PRECONDITION_FAILED",
      reason: "ORG_OWNER",
    });
    await refused(() => owner.caller.orgs.changeMemberRole({ slug: org.slug, username: "om_owner", role: "admin" }), {
      code: "PRECONDITION_FAILED",
      reason: "ORG_OWNER",
    });
    await refused(() => admin.caller.orgs.update({ slug: org.slug }), { code: "BAD_REQUEST", field: "name" });

    await admin.caller.orgs.changeMemberRole({ slug: org.slug, username: "om_mem", role: "manager" });
    await admin.caller.orgs.update({ slug: org.slug, description: "Admins edit settings" });
    await mem.caller.orgs.removeMember({ slug: org.slug, username: "om_mem" }); // leaving oneself
    await admin.caller.orgs.removeMember({ slug: org.slug, username: "om_mgr" });
    expect((await owner.caller.orgs.members({ slug: org.slug, limit: 50 })).items).toHaveLength(2);
  });

  it("delete is owner-only and refused while a team still plays under the org", async () => {
    const owner = await api.user("od_owner");
    const admin = await api.user("od_admin");
    const org = await owner.caller.orgs.create({ name: "Doomed Org" });
    await owner.caller.orgs.addMember({ slug: org.slug, username: "od_admin", role: "admin" });
    const team = await owner.caller.teams.create({ name: "Org Squad", gameSlug: "cs2", organizationSlug: org.slug });
    await refused(() => admin.caller.orgs.delete({ slug: org.slug }), { code: "FORBIDDEN" });
    await refused(() => owner.caller.orgs.delete({ slug: org.slug }), {
      code: "PRECONDITION_FAILED",
      reason: "ORG_HAS_TEAMS",
    });
    await owner.caller.teams.disband({ slug: team.slug });
    await owner.caller.orgs.delete({ slug: org.slug });
    await refused(() => api.caller().orgs.bySlug({ slug: org.slug }), { code: "NOT_FOUND", field: "slug" });
  });

  it("the dashboard: members only, ≤ 8 queries, cached, and fresh after team and roster changes", async () => {
    const owner = await api.user("ob_owner");
    const reader = await api.user("ob_reader");
    const outsider = await api.user("ob_outsider");
    const player = await api.user("ob_player");
    const org = await owner.caller.orgs.create({ name: "Board Org" });
    await owner.caller.orgs.addMember({ slug: org.slug, username: "ob_reader" });
    const v = await owner.caller.teams.create({ name: "Board V", gameSlug: "valorant", organizationSlug: org.slug });
    await owner.caller.teams.create({ name: "Board C", gameSlug: "cs2", organizationSlug: org.slug });
    await applyAuditJobs();

    const first = await api.measure(() => reader.caller.orgs.dashboard({ slug: org.slug }));
    expect(first.report.ledger.count).toBeLessThanOrEqual(8);
    expect(first.result).toMatchObject({ teamCount: 2, memberCount: 2 });
    expect(first.result.teamsPerGame.map((g) => [g.gameSlug, g.teams]).sort()).toEqual([
      ["cs2", 1],
      ["valorant", 1],
    ]);
    expect(first.result.recentActivity.map((a) => a.action)).toEqual(
      expect.arrayContaining(["team.created", "org.member_added", "org.created"]),
    );
    const hit = await api.measure(() => reader.caller.orgs.dashboard({ slug: org.slug }));
    expect(hit.report.ledger.count).toBe(2); // the session and the live access check only

    // A roster change on one of the org's teams refreshes it.
    await api.addMember(owner, v.slug, player);
    const afterJoin = await reader.caller.orgs.dashboard({ slug: org.slug });
    expect(afterJoin.teams.find((t) => t.slug === v.slug)?.memberCount).toBe(2);
    await owner.caller.teams.disband({ slug: v.slug });
    expect((await reader.caller.orgs.dashboard({ slug: org.slug })).teamCount).toBe(1);

    await refused(() => outsider.caller.orgs.dashboard({ slug: org.slug }), { code: "FORBIDDEN" });
    // Access is live: a removed member loses it at once, cache or not.
    await owner.caller.orgs.removeMember({ slug: org.slug, username: "ob_reader" });
    await refused(() => reader.caller.orgs.dashboard({ slug: org.slug }), { code: "FORBIDDEN" });
  });

  it("the dashboard lists the 50 best-ranked teams of a large organization and counts them all", async () => {
    const owner = await api.user("obig_owner");
    const org = await owner.caller.orgs.create({ name: "Big Org" });
    // Set-based: 60 teams of the organization, ranked by CP, straight into the tables.
    await sql`with g as (select id from games where slug = 'valorant'),
      t as (insert into teams (slug, name, game_id, organization_id, owner_id)
            select 'big-' || i, 'Big ' || i, g.id, ${org.id}, ${owner.user.id} from g, generate_series(1, 60) i
            returning id, game_id, name)
      insert into team_rankings (team_id, game_id, current_cp)
      select id, game_id, split_part(name, ' ', 2)::int * 10 from t`.execute(api.db);
    const board = await owner.caller.orgs.dashboard({ slug: org.slug });
    expect(board.teamCount).toBe(60);
    expect(board.teamsPerGame).toEqual([{ gameSlug: "valorant", gameName: expect.any(String), teams: 60 }]);
    expect(board.teams).toHaveLength(50);
    expect(board.teams[0]?.slug).toBe("big-60");
    expect(board.teams.at(-1)?.slug).toBe("big-11");
  });

  describe("org role matrix (owner all + delete; admin settings and members; manager, member read)", () => {
    const ACTORS = ["owner", "admin", "manager", "member", "staff", "stranger"] as const;
    type ActorName = (typeof ACTORS)[number];
    const people = {} as Record<ActorName | "target", { id: number; caller: Caller }>;
    let seq = 0;

    const ACTIONS: {
      name: string;
      allowed: readonly ActorName[];
      write: boolean;
      run: (c: Caller, slug: string) => Promise<unknown>;
    }[] = [
      {
        name: "orgs.update",
        allowed: ["owner", "admin", "staff"],
        write: true,
        run: (c, slug) => c.orgs.update({ slug, description: "x" }),
      },
      {
        name: "orgs.addMember",
        allowed: ["owner", "admin", "staff"],
        write: true,
        run: (c, slug) => c.orgs.addMember({ slug, username: "mx_outsider" }),
      },
      {
        name: "orgs.changeMemberRole",
        allowed: ["owner", "admin", "staff"],
        write: true,
        run: (c, slug) => c.orgs.changeMemberRole({ slug, username: "mx_target", role: "manager" }),
      },
      {
        name: "orgs.removeMember",
        allowed: ["owner", "admin", "staff"],
        write: true,
        run: (c, slug) => c.orgs.removeMember({ slug, username: "mx_target" }),
      },
      { name: "orgs.delete", allowed: ["owner"], write: true, run: (c, slug) => c.orgs.delete({ slug }) },
      {
        name: "orgs.members",
        allowed: ["owner", "admin", "manager", "member", "staff"],
        write: false,
        run: (c, slug) => c.orgs.members({ slug, limit: 10 }),
      },
      {
        name: "orgs.dashboard",
        allowed: ["owner", "admin", "manager", "member", "staff"],
        write: false,
        run: (c, slug) => c.orgs.dashboard({ slug }),
      },
    ];

    beforeAll(async () => {
      for (const name of [...ACTORS, "target", "outsider"] as const) {
        const u = await api.user(`mx_${name}`);
        if (name !== "outsider") people[name] = { id: u.user.id, caller: u.caller };
      }
      await sql`update users set is_staff = true where id = ${people.staff.id}`.execute(api.db);
    });

    async function fixture(): Promise<string> {
      const slug = `mx-org-${++seq}`;
      const org = await api.db
        .insertInto("organizations")
        .values({ slug, name: slug, owner_id: people.owner.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      const roles = [
        [people.owner.id, "owner"],
        [people.admin.id, "admin"],
        [people.manager.id, "manager"],
        [people.member.id, "member"],
        [people.target.id, "member"],
      ] as const;
      await api.db
        .insertInto("organization_memberships")
        .values(roles.map(([user_id, role]) => ({ organization_id: org.id, user_id, role })))
        .execute();
      return slug;
    }

    for (const action of ACTIONS) {
      for (const actor of ACTORS) {
        const allowed = action.allowed.includes(actor);
        it(`${action.name} by ${actor}: ${allowed ? "ok" : "FORBIDDEN"}`, async () => {
          const slug = await fixture();
          if (!allowed) {
            await refused(() => action.run(people[actor].caller, slug), { code: "FORBIDDEN" });
            return;
          }
          const before = await api.snapshotCounts();
          await action.run(people[actor].caller, slug);
          const after = await api.snapshotCounts();
          if (action.write) expect(Number(after?.jobs)).toBeGreaterThan(Number(before?.jobs)); // audited
        });
      }
    }
  });

  describe("bad input", () => {
    it("create: a taken chosen slug is CONFLICT, a taken derived one gets a suffix; bad fields are BAD_REQUEST", async () => {
      const u = await api.user("oc_user");
      await u.caller.orgs.create({ name: "Taken Org" });
      // Every name yields a unique slug: the readable one is taken, so a short random suffix follows.
      const twin = await u.caller.orgs.create({ name: "Taken Org" });
      expect(twin.slug).toMatch(/^taken-org-[a-z0-9]{6}$/);
      await expect(api.caller().orgs.bySlug({ slug: twin.slug })).resolves.toMatchObject({ name: "Taken Org" });
      await refused(() => u.caller.orgs.create({ name: "Other", slug: "taken-org" }), {
        code: "CONFLICT",
        reason: "SLUG_TAKEN",
        field: "slug",
      });
      await refused(() => u.caller.orgs.create({ name: "x" }), { code: "BAD_REQUEST", field: "name" });
      await refused(() => u.caller.orgs.create({ name: "Web Org", website: "not a url" }), {
        code: "BAD_REQUEST",
        field: "website",
      });
      await refused(() => api.caller().orgs.create({ name: "Anon Org" }), { code: "UNAUTHORIZED" });
    });

    it("unknown orgs and users are NOT_FOUND; duplicates CONFLICT; owner role never granted", async () => {
      const owner = await api.user("on_owner");
      const org = await owner.caller.orgs.create({ name: "Known Org" });
      await api.user("on_friend");
      await refused(() => api.caller().orgs.bySlug({ slug: "no-such-org" }), { code: "NOT_FOUND", field: "slug" });
      await refused(() => owner.caller.orgs.dashboard({ slug: "no-such-org" }), { code: "NOT_FOUND", field: "slug" });
      await refused(() => owner.caller.orgs.addMember({ slug: org.slug, username: "nobody_at_all" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await refused(() => owner.caller.orgs.removeMember({ slug: org.slug, username: "on_friend" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await owner.caller.orgs.addMember({ slug: org.slug, username: "on_friend" });
      await refused(() => owner.caller.orgs.addMember({ slug: org.slug, username: "on_friend" }), {
        code: "CONFLICT",
        reason: "ALREADY_MEMBER",
        field: "username",
      });
      await refused(
        () => owner.caller.orgs.changeMemberRole({ slug: org.slug, username: "on_friend", role: "member" }),
        {
          code: "CONFLICT",
          reason: "SAME_ROLE",
          field: "role",
        },
      );
      await refused(
        () => owner.caller.orgs.changeMemberRole({ slug: org.slug, username: "on_friend", role: "owner" as "admin" }),
        { code: "BAD_REQUEST", field: "role" },
      );
      await refused(() => owner.caller.orgs.members({ slug: org.slug, limit: 51 }), {
        code: "BAD_REQUEST",
        field: "limit",
      });
    });
  });
});
