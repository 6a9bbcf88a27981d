/**
 * Every refusal is a clear, typed error and changes nothing: each case compares a content checksum
 * of every table (and the job queue) before and after.
 */
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { ErrorData } from "../src/index.ts";
import { PASSWORD, useApi } from "./support.ts";

describe("bad input", () => {
  const api = useApi();

  const refused = api.refused;

  describe("identity", () => {
    it("duplicate username is CONFLICT on username (case-insensitively)", async () => {
      await api.user("dupe");
      await refused(() => api.caller().identity.signUp({ username: "DUPE", email: "other@x.dc", password: PASSWORD }), {
        code: "CONFLICT",
        reason: "USERNAME_TAKEN",
        field: "username",
      });
    });

    it("duplicate e-mail is CONFLICT on email", async () => {
      await api.user("mailer");
      await refused(
        () => api.caller().identity.signUp({ username: "mailer2", email: "MAILER@test.dc", password: PASSWORD }),
        { code: "CONFLICT", reason: "EMAIL_TAKEN", field: "email" },
      );
    });

    it("malformed sign-up fields are BAD_REQUEST with their paths", async () => {
      await refused(
        () => api.caller().identity.signUp({ username: "ok_name", email: "not-an-email", password: PASSWORD }),
        {
          code: "BAD_REQUEST",
          field: "email",
        },
      );
      await refused(() => api.caller().identity.signUp({ username: "a b", email: "a@b.dc", password: PASSWORD }), {
        code: "BAD_REQUEST",
        field: "username",
      });
      await refused(() => api.caller().identity.signUp({ username: "shorty", email: "s@b.dc", password: "short" }), {
        code: "BAD_REQUEST",
        field: "password",
      });
    });

    it("wrong password and unknown login are the same UNAUTHORIZED", async () => {
      await api.user("victim");
      const a = await refused(() => api.caller().identity.signIn({ login: "victim", password: "wrong-password" }), {
        code: "UNAUTHORIZED",
        reason: "BAD_CREDENTIALS",
      });
      const b = await refused(() => api.caller().identity.signIn({ login: "nobody", password: "wrong-password" }), {
        code: "UNAUTHORIZED",
        reason: "BAD_CREDENTIALS",
      });
      expect(a.message).toBe(b.message);
    });

    it("no session, a bad token, an expired or signed-out session are UNAUTHORIZED", async () => {
      await refused(() => api.caller().identity.me(), { code: "UNAUTHORIZED" });
      await refused(() => api.caller("dcs_forged").teams.create({ name: "Nope", gameSlug: "cs2" }), {
        code: "UNAUTHORIZED",
      });
      const u = await api.user("expiring");
      await sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${u.user.id}`.execute(
        api.db,
      );
      await refused(() => u.caller.identity.me(), { code: "UNAUTHORIZED" });
      const v = await api.user("signout");
      await v.caller.identity.signOut();
      await refused(() => v.caller.identity.me(), { code: "UNAUTHORIZED" });
    });
  });

  describe("teams", () => {
    it("unknown team slug is NOT_FOUND", async () => {
      await refused(() => api.caller().teams.bySlug({ slug: "no-such-team" }), { code: "NOT_FOUND", field: "slug" });
    });

    it("unknown game or organization is NOT_FOUND", async () => {
      const u = await api.user("gamer");
      await refused(() => u.caller.teams.create({ name: "Lost", gameSlug: "tetris" }), {
        code: "NOT_FOUND",
        field: "gameSlug",
      });
      await refused(() => u.caller.teams.create({ name: "Lost", gameSlug: "cs2", organizationSlug: "ghost-org" }), {
        code: "NOT_FOUND",
        field: "organizationSlug",
      });
    });

    it("an organization the user does not manage is FORBIDDEN", async () => {
      const owner = await api.user("orgowner");
      const org = await api.db
        .insertInto("organizations")
        .values({ slug: "closed-org", name: "Closed", owner_id: owner.user.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await api.db
        .insertInto("organization_memberships")
        .values({ organization_id: org.id, user_id: owner.user.id, role: "owner" })
        .execute();
      const outsider = await api.user("outsider");
      await refused(
        () => outsider.caller.teams.create({ name: "Squatters", gameSlug: "cs2", organizationSlug: "closed-org" }),
        {
          code: "FORBIDDEN",
        },
      );
      // The org's owner may.
      await expect(
        owner.caller.teams.create({ name: "Closed Five", gameSlug: "cs2", organizationSlug: "closed-org" }),
      ).resolves.toMatchObject({
        organization: { slug: "closed-org" },
      });
    });

    it("duplicate slug is CONFLICT, whatever the case", async () => {
      const u = await api.user("twin");
      await u.caller.teams.create({ name: "Twin Peaks", gameSlug: "cs2" });
      await refused(() => u.caller.teams.create({ name: "Other", slug: "TWIN-PEAKS", gameSlug: "cs2" }), {
        code: "CONFLICT",
        reason: "SLUG_TAKEN",
        field: "slug",
      });
    });

    it("malformed team input is BAD_REQUEST with field paths", async () => {
      const u = await api.user("sloppy");
      await refused(() => u.caller.teams.create({ name: "x", gameSlug: "cs2" }), {
        code: "BAD_REQUEST",
        field: "name",
      });
      await refused(() => u.caller.teams.create({ name: "Fine", slug: "bad slug!", gameSlug: "cs2" }), {
        code: "BAD_REQUEST",
        field: "slug",
      });
      await refused(() => api.caller().teams.search({ limit: 51 }), { code: "BAD_REQUEST", field: "limit" });
    });

    it("a failure inside the transaction leaves no partial team behind", async () => {
      const u = await api.user("unlucky");
      // Make the last statement of the write (the audit job, after the team insert) fail:
      // the team, its owner membership and ranking must vanish with it.
      await sql`create function fail_job() returns trigger language plpgsql as $$ begin raise exception 'queue down'; end $$`.execute(
        api.db,
      );
      await sql`create trigger fail_job before insert on graphile_worker._private_jobs for each row execute function fail_job()`.execute(
        api.db,
      );
      try {
        await refused(() => u.caller.teams.create({ name: "Half Made", gameSlug: "cs2" }), {
          code: "INTERNAL_SERVER_ERROR",
        });
        expect(await api.db.selectFrom("teams").select("id").where("slug", "=", "half-made").execute()).toEqual([]);
      } finally {
        await sql`drop trigger fail_job on graphile_worker._private_jobs`.execute(api.db);
        await sql`drop function fail_job()`.execute(api.db);
      }
    });
  });

  describe("invites", () => {
    async function setup(tag: string) {
      const owner = await api.user(`own_${tag}`);
      const team = await api.team(owner, `Team ${tag}`);
      const player = await api.user(`ply_${tag}`);
      await api.addMember(owner, team.slug, player, "player");
      const captain = await api.user(`cap_${tag}`);
      await api.addMember(owner, team.slug, captain, "captain");
      const target = await api.user(`tgt_${tag}`);
      return { owner, team, player, captain, target };
    }

    it("a player, a coach-less stranger, or a captain inviting above themselves is FORBIDDEN", async () => {
      const { team, player, captain, target } = await setup("perm");
      const stranger = await api.user("stranger_perm");
      await refused(
        () => player.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" }),
        {
          code: "FORBIDDEN",
        },
      );
      await refused(
        () => stranger.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" }),
        {
          code: "FORBIDDEN",
        },
      );
      await refused(
        () => captain.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "manager" }),
        {
          code: "FORBIDDEN",
        },
      );
      // Below their own rank a captain may invite.
      await expect(
        captain.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" }),
      ).resolves.toMatchObject({ role: "player" });
    });

    it("unknown invitee is NOT_FOUND; a member or an already-invited user is CONFLICT", async () => {
      const { owner, team, player, target } = await setup("dup");
      await refused(() => owner.caller.invites.send({ teamSlug: team.slug, username: "ghost_user", role: "player" }), {
        code: "NOT_FOUND",
        field: "username",
      });
      await refused(
        () => owner.caller.invites.send({ teamSlug: team.slug, username: player.user.username, role: "player" }),
        {
          code: "CONFLICT",
          reason: "ALREADY_MEMBER",
        },
      );
      await owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" });
      await refused(
        () => owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "coach" }),
        {
          code: "CONFLICT",
          reason: "INVITE_PENDING",
        },
      );
    });

    it("expired, used, declined or someone else's invites give clear errors", async () => {
      const { owner, team, target, player } = await setup("life");
      const invite = await owner.caller.invites.send({
        teamSlug: team.slug,
        username: target.user.username,
        role: "player",
      });
      await refused(() => player.caller.invites.accept({ inviteId: invite.id }), { code: "NOT_FOUND" });
      await sql`update team_invites set expires_at = now() - interval '1 minute' where id = ${invite.id}`.execute(
        api.db,
      );
      await refused(() => target.caller.invites.accept({ inviteId: invite.id }), {
        code: "PRECONDITION_FAILED",
        reason: "INVITE_EXPIRED",
      });
      await sql`update team_invites set expires_at = now() + interval '1 day' where id = ${invite.id}`.execute(api.db);
      await target.caller.invites.decline({ inviteId: invite.id });
      await refused(() => target.caller.invites.accept({ inviteId: invite.id }), {
        code: "CONFLICT",
        reason: "INVITE_USED",
      });
      await refused(() => target.caller.invites.decline({ inviteId: invite.id }), {
        code: "CONFLICT",
        reason: "INVITE_USED",
      });
      await sql`update team_invites set status = 'revoked' where id = ${invite.id}`.execute(api.db);
      await refused(() => target.caller.invites.accept({ inviteId: invite.id }), {
        code: "PRECONDITION_FAILED",
        reason: "INVITE_REVOKED",
      });
    });
  });

  describe("refused() itself", () => {
    // A refusal that changed a value but no count was invisible when refused() compared counts.
    const refusedAfter = (write: ReturnType<typeof sql>) =>
      refused(
        async () => {
          await write.execute(api.db);
          throw new TRPCError({ code: "BAD_REQUEST", message: "refused after a write" });
        },
        { code: "BAD_REQUEST" },
      ).then(
        () => "unnoticed",
        (e: unknown) => (String(e).includes("expected") ? "noticed" : `failed: ${String(e)}`),
      );

    it("notices an UPDATE that keeps every row count, in any table", async () => {
      const u = await api.user("checksum");
      await api.team(u, "Checksum Five");
      expect(await refusedAfter(sql`update teams set description = 'changed' where slug = 'checksum-five'`)).toBe(
        "noticed",
      );
      expect(await refusedAfter(sql`update users set display_name = 'Changed' where username = 'checksum'`)).toBe(
        "noticed",
      );
      expect(await refusedAfter(sql`update games set name = name || ' ' where slug = 'cs2'`)).toBe("noticed");
    });

    it("notices writes to the tables the old count list skipped, and to the job queue", async () => {
      const u = await api.user("checksum2");
      expect(await refusedAfter(sql`insert into wallets (user_id) values (${u.user.id})`)).toBe("noticed");
      expect(await refusedAfter(sql`select graphile_worker.add_job('audit/write', json_build_object('x', 1))`)).toBe(
        "noticed",
      );
    });

    it("ignores a session's sliding expiry, which reading it may touch", async () => {
      const u = await api.user("checksum3");
      expect(
        await refusedAfter(
          sql`update sessions set last_used_at = now() - interval '1 hour' where user_id = ${u.user.id}`,
        ),
      ).toBe("unnoticed");
    });
  });

  it("error data carries code, reason and field paths, never SQL or stacks", async () => {
    const { formatError } = await import("../src/errors.ts");
    const u = await api.user("shape");
    const error = await u.caller.teams.create({ name: "x", gameSlug: "BAD SLUG" }).then(
      () => {
        throw new Error("expected a refusal");
      },
      (e: unknown) => e as TRPCError,
    );
    const shaped = formatError({
      shape: {
        message: error.message,
        code: -32600,
        data: { code: error.code, httpStatus: 400, path: "teams.create" },
      },
      error,
    });
    const data: ErrorData = shaped.data;
    expect(data.fieldErrors).toHaveProperty("name");
    expect(data.fieldErrors).toHaveProperty("gameSlug");
    const internal = formatError({
      shape: {
        message: 'relation "x" does not exist',
        code: -32603,
        data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 },
      },
      error: new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: 'relation "x" does not exist' }),
    });
    expect(internal.message).toBe("Internal server error");
    expect(JSON.stringify(internal)).not.toMatch(/relation|stack/);
  });
});
