/**
 * The whole path a frontend takes, only through @deltacrown/client against the real server on
 * a random port: sign-up → create team → invite → accept → detail → search; then an
 * organization with a roster, its dashboard, and the notifications. The worker runs in-process
 * and writes the audit trail the dashboard shows.
 */
import { createClient, isApiError } from "@deltacrown/client";
import { installOpenHandleCheck, pgbouncerShow, useTestServices, waitFor } from "@deltacrown/test-harness";
import { demoGames } from "@deltacrown/domain";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

describe("end to end through the typed client", () => {
  const services = useTestServices();

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
  });

  it("signs up, creates a team, invites, accepts, reads and searches", async () => {
    const platform = await startTestPlatform(services, { runWorker: true });
    try {
      // The token changes after sign-up: the client reads it through a function on every call.
      const session: { token?: string } = {};
      const captain = createClient({ url: platform.url, token: () => session.token });
      const signUp = await captain.identity.signUp.mutate({
        username: "nova",
        email: "nova@dc.gg",
        password: "long-enough-pw",
      });
      session.token = signUp.token;
      expect(await captain.identity.me.query()).toMatchObject({ username: "nova" });

      const team = await captain.teams.create.mutate({ name: "Nova Five", tag: "NOVA", gameSlug: "valorant" });
      expect(team).toMatchObject({
        slug: "nova-five",
        memberCount: 1,
        game: { slug: "valorant" },
        owner: { username: "nova" },
      });

      const player = createClient({ url: platform.url });
      const { token: playerToken } = await player.identity.signUp.mutate({
        username: "orbit",
        email: "orbit@dc.gg",
        password: "long-enough-pw",
      });
      const playerClient = createClient({ url: platform.url, token: playerToken });

      const invite = await captain.invites.send.mutate({ teamSlug: team.slug, username: "orbit", role: "player" });
      const pending = (await playerClient.invites.mine.query()).items;
      expect(pending.map((i) => i.id)).toEqual([invite.id]);
      await expect(playerClient.invites.accept.mutate({ inviteId: invite.id })).resolves.toEqual({
        teamSlug: "nova-five",
        role: "player",
      });

      // Batched: three reads in one HTTP request.
      const [detail, search, mine] = await Promise.all([
        playerClient.teams.bySlug.query({ slug: "nova-five" }),
        playerClient.teams.search.query({ gameSlug: "valorant", namePrefix: "nov", limit: 10 }),
        playerClient.teams.mine.query().then((page) => page.items),
      ]);
      expect(detail.roster.map((m) => [m.username, m.role])).toEqual([
        ["nova", "owner"],
        ["orbit", "player"],
      ]);
      expect(detail.memberCount).toBe(2);
      expect(search.items.map((t) => t.slug)).toEqual(["nova-five"]);
      expect(mine.map((t) => t.slug)).toEqual(["nova-five"]);

      // Errors arrive typed, with the reason and no internals.
      const error = await playerClient.invites.accept.mutate({ inviteId: invite.id }).catch((e: unknown) => e);
      expect(isApiError(error)).toBe(true);
      if (isApiError(error)) {
        expect(error.data).toMatchObject({ code: "CONFLICT", reason: "INVITE_USED" });
        expect(JSON.stringify(error.data)).not.toMatch(/stack|select|insert/i);
      }

      // The worker wrote the audit trail enqueued by those writes.
      const actions = await waitFor(async () => {
        const rows = await services.db.selectFrom("audit_log").select("action").orderBy("id").execute();
        return rows.length >= 5 ? rows.map((r) => r.action) : undefined;
      });
      expect(actions).toEqual(
        expect.arrayContaining(["user.signed_up", "team.created", "team.invite_sent", "team.invite_accepted"]),
      );

      const health = await fetch(`${platform.url}/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      const detailed = (await (await fetch(`${platform.url}/health/detailed`)).json()) as {
        checks: Record<string, { status: string }>;
      };
      expect(detailed.checks.database!.status).toBe("up");
      expect(detailed.checks.redis!.status).toBe("up");
      const metrics = await (await fetch(`${platform.url}/metrics`)).text();
      expect(metrics).toMatch(/dc_procedure_queries_count\{path="teams.bySlug"\} 1/);
    } finally {
      await platform.close();
    }
  });
  it("builds an organization and its roster, reads the dashboard and the notifications", async () => {
    const platform = await startTestPlatform(services, { runWorker: true });
    try {
      const signUp = async (username: string) => {
        const { token } = await createClient({ url: platform.url }).identity.signUp.mutate({
          username,
          email: `${username}@dc.gg`,
          password: "long-enough-pw",
        });
        return createClient({ url: platform.url, token });
      };
      const boss = await signUp("boss");
      const coachClient = await signUp("mentor");
      const rookie = await signUp("rookie");
      const veteran = await signUp("veteran");

      const org = await boss.orgs.create.mutate({ name: "Apex Guild", slug: "apex-guild" });
      expect(org).toMatchObject({ slug: "apex-guild", owner: { username: "boss" } });
      await boss.orgs.addMember.mutate({ slug: "apex-guild", username: "mentor", role: "manager" });

      const team = await boss.teams.create.mutate({
        name: "Apex Red",
        gameSlug: "cs2",
        organizationSlug: "apex-guild",
      });
      expect(team.organization).toMatchObject({ slug: "apex-guild" });
      for (const [client, username, role] of [
        [rookie, "rookie", "player"],
        [veteran, "veteran", "captain"],
        [coachClient, "mentor", "coach"],
      ] as const) {
        const invite = await boss.invites.send.mutate({ teamSlug: team.slug, username, role });
        await client.invites.accept.mutate({ inviteId: invite.id });
      }
      await boss.teams.changeRole.mutate({ slug: team.slug, username: "rookie", role: "substitute" });
      await boss.teams.removeMember.mutate({ slug: team.slug, username: "veteran" });

      const detail = await rookie.teams.bySlug.query({ slug: team.slug });
      expect(detail.roster.map((m) => [m.username, m.role])).toEqual([
        ["boss", "owner"],
        ["mentor", "coach"],
        ["rookie", "substitute"],
      ]);
      expect(detail.memberCount).toBe(3);

      // The dashboard: counts, teams per game, ranks, and the activity the worker wrote.
      const dashboard = await waitFor(async () => {
        const d = await coachClient.orgs.dashboard.query({ slug: "apex-guild" });
        return d.recentActivity.length > 0 ? d : undefined;
      });
      expect(dashboard).toMatchObject({ teamCount: 1, memberCount: 2, teamsPerGame: [{ gameSlug: "cs2", teams: 1 }] });
      expect(dashboard.teams.map((t) => t.slug)).toEqual([team.slug]);

      // Notifications: the invite, the role change; the removed captain hears of the removal.
      expect((await rookie.notifications.unreadCount.query()).count).toBeGreaterThanOrEqual(2);
      const rookieFeed = await rookie.notifications.list.query({ limit: 20 });
      expect(rookieFeed.items.map((n) => n.kind)).toEqual(expect.arrayContaining(["team.invite", "team.role_changed"]));
      const veteranFeed = await veteran.notifications.list.query({ limit: 20 });
      expect(veteranFeed.items.map((n) => n.kind)).toContain("team.member_removed");
      await rookie.notifications.markRead.mutate({ all: true });
      expect(await rookie.notifications.unreadCount.query()).toEqual({ count: 0 });

      // A stranger may not read the org's dashboard; the removed captain is no longer on the team.
      await expect(veteran.orgs.dashboard.query({ slug: "apex-guild" })).rejects.toMatchObject({
        data: { code: "FORBIDDEN" },
      });
      expect((await veteran.teams.mine.query()).items).toEqual([]);
    } finally {
      await platform.close();
    }
  });

  // CI's second pass (DC_TEST_PGBOUNCER=1): the platform above really talked to PgBouncer.
  it.skipIf(process.env.DC_TEST_PGBOUNCER !== "1")("ran its statements through PgBouncer", async () => {
    expect(services.pooled).toBe(true);
    const stats = await pgbouncerShow(new URL(services.url).host, "STATS");
    const mine = stats.find((s) => s.database === services.name);
    expect(Number(mine?.total_query_count)).toBeGreaterThan(50);
  });
});
