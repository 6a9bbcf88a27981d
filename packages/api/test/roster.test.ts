/**
 * The whole roster: update, disband, revoke, remove, change role, leave, transfer, rejoin. The
 * precomputed member count and the cached reads stay right after every change; every refusal
 * is a typed error that writes nothing.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useApi } from "./support.ts";

describe("roster", () => {
  const api = useApi();

  const refused = api.refused;

  /** The real active-member count, to compare with the precomputed one. */
  async function activeCount(slug: string) {
    const row = await api.db
      .selectFrom("teams as t")
      .select([
        "t.member_count",
        sql<number>`(select count(*)::int from team_memberships m where m.team_id = t.id and m.status = 'active')`.as(
          "actual",
        ),
      ])
      .where("t.slug", "=", slug)
      .executeTakeFirstOrThrow();
    return row;
  }

  async function kinds(userId: number) {
    const rows = await api.db.selectFrom("notifications").select("kind").where("user_id", "=", userId).execute();
    return rows.map((r) => r.kind);
  }

  it("keeps the member count and the cached team page right through remove, leave, rejoin and transfer", async () => {
    const owner = await api.user("ro_owner");
    const team = await api.team(owner, "Roster Run");
    const [a, b, c] = [await api.user("ro_a"), await api.user("ro_b"), await api.user("ro_c")];
    for (const m of [a, b, c]) await api.addMember(owner, team.slug, m);
    const check = async (n: number) => {
      expect(await activeCount(team.slug)).toEqual({ member_count: n, actual: n });
      expect((await api.caller().teams.bySlug({ slug: team.slug })).memberCount).toBe(n);
    };
    await check(4);
    expect((await b.caller.teams.mine()).items).toHaveLength(1); // cached for b

    await owner.caller.teams.removeMember({ slug: team.slug, username: "ro_b" });
    await check(3);
    expect((await b.caller.teams.mine()).items).toHaveLength(0); // b's list invalidated
    expect(await kinds(b.user.id)).toContain("team.member_removed");

    await c.caller.teams.leave({ slug: team.slug });
    await check(2);

    // Rejoin reactivates the same membership row.
    const before = await api.db
      .selectFrom("team_memberships")
      .select("id")
      .where("user_id", "=", c.user.id)
      .executeTakeFirstOrThrow();
    await api.addMember(owner, team.slug, c, "coach");
    await check(3);
    const rows = await api.db
      .selectFrom("team_memberships")
      .select(["id", "status", "role"])
      .where("user_id", "=", c.user.id)
      .execute();
    expect(rows).toEqual([{ id: before.id, status: "active", role: "coach" }]);

    await owner.caller.teams.transferOwnership({ slug: team.slug, username: "ro_a" });
    const page = await api.caller().teams.bySlug({ slug: team.slug });
    expect(page.owner.username).toBe("ro_a");
    expect(Object.fromEntries(page.roster.map((r) => [r.username, r.role]))).toEqual({
      ro_a: "owner",
      ro_owner: "manager",
      ro_c: "coach",
    });
    expect((await owner.caller.teams.mine()).items[0]?.role).toBe("manager");
    // The former owner may now leave.
    await owner.caller.teams.leave({ slug: team.slug });
    await check(2);
  });

  it("concurrent removal and leave of one member decrement the count once (re-checked after the team lock)", async () => {
    const owner = await api.user("cc_owner");
    const team = await api.team(owner, "Race Track");
    const m = await api.user("cc_m");
    await api.addMember(owner, team.slug, m);
    const results = await Promise.allSettled([
      owner.caller.teams.removeMember({ slug: team.slug, username: "cc_m" }),
      m.caller.teams.leave({ slug: team.slug }),
      owner.caller.teams.removeMember({ slug: team.slug, username: "cc_m" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await activeCount(team.slug)).toEqual({ member_count: 1, actual: 1 });
  });

  it("changes roles only below one's own and notifies the member", async () => {
    const owner = await api.user("cr_owner");
    const team = await api.team(owner, "Role Ladder");
    const mgr = await api.user("cr_mgr");
    const p = await api.user("cr_p");
    const mgr2 = await api.user("cr_mgr2");
    await api.addMember(owner, team.slug, mgr, "manager");
    await api.addMember(owner, team.slug, p, "player");
    await api.addMember(owner, team.slug, mgr2, "manager");
    await mgr.caller.teams.changeRole({ slug: team.slug, username: "cr_p", role: "captain" });
    expect((await p.caller.teams.mine()).items[0]?.role).toBe("captain");
    expect(await kinds(p.user.id)).toContain("team.role_changed");
    await refused(() => mgr.caller.teams.changeRole({ slug: team.slug, username: "cr_p", role: "manager" }), {
      code: "FORBIDDEN",
    });
    await refused(() => mgr.caller.teams.changeRole({ slug: team.slug, username: "cr_mgr2", role: "player" }), {
      code: "FORBIDDEN",
    });
    await refused(() => mgr.caller.teams.removeMember({ slug: team.slug, username: "cr_mgr2" }), {
      code: "FORBIDDEN",
    });
    await refused(() => mgr.caller.teams.changeRole({ slug: team.slug, username: "cr_owner", role: "player" }), {
      code: "FORBIDDEN",
    });
    await refused(() => owner.caller.teams.changeRole({ slug: team.slug, username: "cr_p", role: "captain" }), {
      code: "CONFLICT",
      reason: "SAME_ROLE",
      field: "role",
    });
  });

  it("disband revokes pending invites, notifies members, keeps memberships and hides the team", async () => {
    const owner = await api.user("db_owner");
    const team = await api.team(owner, "Last Dance");
    const m = await api.user("db_m");
    await api.addMember(owner, team.slug, m);
    const late = await api.user("db_late");
    const invite = await owner.caller.invites.send({ teamSlug: team.slug, username: "db_late" });
    expect((await m.caller.teams.mine()).items).toHaveLength(1);
    await owner.caller.teams.disband({ slug: team.slug });
    const row = await api.db
      .selectFrom("teams")
      .select(["disbanded_at", "member_count"])
      .where("slug", "=", team.slug)
      .executeTakeFirstOrThrow();
    expect(row.disbanded_at).not.toBeNull();
    expect(row.member_count).toBe(2);
    const inv = await api.db.selectFrom("team_invites").select("status").where("id", "=", invite.id).executeTakeFirst();
    expect(inv?.status).toBe("revoked");
    expect(await kinds(m.user.id)).toContain("team.disbanded");
    const memberships = await api.db
      .selectFrom("team_memberships as tm")
      .innerJoin("teams as t", "t.id", "tm.team_id")
      .select("tm.status")
      .where("t.slug", "=", team.slug)
      .execute();
    expect(memberships).toHaveLength(2);
    expect((await m.caller.teams.mine()).items).toHaveLength(0);
    await refused(() => api.caller().teams.bySlug({ slug: team.slug }), { code: "NOT_FOUND", field: "slug" });
    await refused(() => late.caller.invites.accept({ inviteId: invite.id }), {
      code: "PRECONDITION_FAILED",
      reason: "INVITE_REVOKED",
    });
    await refused(() => owner.caller.teams.disband({ slug: team.slug }), { code: "NOT_FOUND", field: "slug" });
  });

  it("update edits the profile and refreshes the cached page", async () => {
    const owner = await api.user("up_owner");
    const team = await api.team(owner, "Old Name");
    await api.caller().teams.bySlug({ slug: team.slug });
    const updated = await owner.caller.teams.update({ slug: team.slug, name: "New Name", tag: "NEW" });
    expect(updated).toMatchObject({ name: "New Name", tag: "NEW" });
    expect((await api.caller().teams.bySlug({ slug: team.slug })).name).toBe("New Name");
    expect((await owner.caller.teams.mine()).items[0]?.name).toBe("New Name");
  });

  describe("bad input", () => {
    it("unknown teams, users and invites are NOT_FOUND on their fields", async () => {
      const owner = await api.user("bi_owner");
      const team = await api.team(owner, "Bad Inputs");
      const stranger = await api.user("bi_stranger");
      await refused(() => owner.caller.teams.update({ slug: "no-such-team", name: "X Y" }), {
        code: "NOT_FOUND",
        field: "slug",
      });
      await refused(() => owner.caller.teams.removeMember({ slug: team.slug, username: "nobody_here" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await refused(() => owner.caller.teams.removeMember({ slug: team.slug, username: "bi_stranger" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await refused(() => owner.caller.teams.transferOwnership({ slug: team.slug, username: "bi_stranger" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await refused(() => owner.caller.invites.revoke({ inviteId: 999999 }), { code: "NOT_FOUND", field: "inviteId" });
      await refused(() => stranger.caller.teams.leave({ slug: team.slug }), { code: "FORBIDDEN" });
    });

    it("owner leaving, self-removal, used invites and malformed input are refused clearly", async () => {
      const owner = await api.user("bj_owner");
      const team = await api.team(owner, "Clear Errors");
      const m = await api.user("bj_m");
      const invite = await api.addMember(owner, team.slug, m);
      await refused(() => owner.caller.teams.leave({ slug: team.slug }), {
        code: "PRECONDITION_FAILED",
        reason: "OWNER_MUST_TRANSFER",
      });
      await refused(() => owner.caller.teams.removeMember({ slug: team.slug, username: "bj_owner" }), {
        code: "BAD_REQUEST",
        reason: "SELF_TARGET",
        field: "username",
      });
      await refused(() => owner.caller.invites.revoke({ inviteId: invite.id }), {
        code: "CONFLICT",
        reason: "INVITE_USED",
      });
      await refused(() => owner.caller.teams.update({ slug: team.slug }), { code: "BAD_REQUEST", field: "name" });
      await refused(() => owner.caller.teams.update({ slug: team.slug, name: "x" }), {
        code: "BAD_REQUEST",
        field: "name",
      });
      await refused(
        () => owner.caller.teams.changeRole({ slug: team.slug, username: "bj_m", role: "owner" as "player" }),
        { code: "BAD_REQUEST", field: "role" },
      );
      await refused(() => owner.caller.teams.removeMember({ slug: "bad slug!", username: "x" }), {
        code: "BAD_REQUEST",
        field: "slug",
      });
      await refused(() => owner.caller.invites.revoke({ inviteId: -1 }), { code: "BAD_REQUEST", field: "inviteId" });
    });
  });
});
