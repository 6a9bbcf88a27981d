/**
 * Live updates end to end through the typed client: two server processes (two platforms on
 * random ports sharing one database and one Redis), subscriptions over SSE and WebSocket,
 * after-commit notifications, permissions, and resuming from the last event id.
 */
import { demoGames, LiveBus, liveChannels } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";
import { collect, liveClient, SSE, WS } from "./live.support.ts";

installOpenHandleCheck();

describe("live updates across two server processes", () => {
  const services = useTestServices();
  const platforms: Platform[] = [];
  let publisher: LiveBus;
  let publisherRedis: Redis;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    for (let i = 0; i < 2; i++) {
      platforms.push(await startTestPlatform(services));
    }
    // A third publisher, as the tournaments context in yet another process would be.
    publisherRedis = new Redis(services.redisUrl);
    publisher = new LiveBus({ redis: publisherRedis });
  });

  afterAll(async () => {
    await Promise.all(platforms.map((p) => p.close()));
    await publisherRedis.quit();
  });

  async function signUp(name: string) {
    const c = liveClient(platforms[0]!.url, SSE);
    const { token, user } = await c.identity.signUp.mutate({
      username: name,
      email: `${name}@dc.gg`,
      password: "long-enough-pw",
    });
    return { token, user };
  }

  async function tournament(status = "registration_open") {
    const organizer = await signUp(`org${Math.floor(Math.random() * 1e6)}`);
    const slug = `live-cup-${Math.floor(Math.random() * 1e6)}`;
    const { rows } = await sql<{ id: number }>`insert into tournaments (slug, name, game_id, organizer_id, format,
        participant_type, capacity, team_size, registration_opens_at, registration_closes_at, starts_at, status)
      select ${slug}, ${slug}, g.id, ${organizer.user.id}, 'single_elimination', 'team', 8, 5,
        now(), now() + interval '1 day', now() + interval '2 days', ${status}
      from games g where g.slug = 'valorant' returning id`.execute(services.db);
    return { slug, id: rows[0]!.id };
  }

  it("an event published anywhere reaches listeners on both processes, over SSE and WebSocket", async () => {
    const t = await tournament();
    const onA = collect((h) =>
      liveClient(platforms[0]!.url, WS).live.tournament.subscribe({ tournamentSlug: t.slug }, h),
    );
    const onB = collect((h) =>
      liveClient(platforms[1]!.url, SSE).live.tournament.subscribe({ tournamentSlug: t.slug }, h),
    );
    try {
      // Started: the server registered the listener before it answered.
      await waitFor(() => (onA.started && onB.started ? true : undefined));
      await publisher.publish(liveChannels.tournament(t.id), {
        type: "match.updated",
        data: { matchId: 1, score: "1-0" },
      });
      await publisher.publish(liveChannels.tournament(t.id), { type: "bracket.changed", data: { round: 2 } });
      await waitFor(() => (onA.events.length >= 2 && onB.events.length >= 2 ? true : undefined));
      for (const c of [onA, onB]) {
        expect(c.events.map((e) => e.type)).toEqual(["match.updated", "bracket.changed"]);
        expect(c.events[0]!.data).toEqual({ matchId: 1, score: "1-0" });
      }
      expect(onA.events.map((e) => e.id)).toEqual(onB.events.map((e) => e.id));
    } finally {
      onA.stop();
      onB.stop();
    }
  });

  it("a committed notification reaches its user live, once, on every process; others may not listen", async () => {
    const alice = await signUp("alice_live");
    const bob = await signUp("bob_live");
    const asAlice = liveClient(platforms[0]!.url, SSE, alice.token);
    const team = await asAlice.teams.create.mutate({ name: "Live Five", gameSlug: "valorant" });
    const bobOnB = collect((h) => liveClient(platforms[1]!.url, SSE, bob.token).live.notifications.subscribe({}, h));
    const bobOnA = collect((h) => liveClient(platforms[0]!.url, WS, bob.token).live.notifications.subscribe({}, h));
    const anonymous = collect((h) => liveClient(platforms[0]!.url, SSE).live.notifications.subscribe({}, h));
    const outsider = collect((h) =>
      liveClient(platforms[1]!.url, WS, bob.token).live.team.subscribe({ teamSlug: team.slug }, h),
    );
    try {
      await waitFor(() => (bobOnA.started && bobOnB.started ? true : undefined));
      await asAlice.invites.send.mutate({ teamSlug: team.slug, username: "bob_live", role: "player" });
      await waitFor(() => (bobOnA.events.length >= 1 && bobOnB.events.length >= 1 ? true : undefined));
      // Both processes relayed the commit; a duplicate would precede this marker on the stream.
      await publisher.publish(liveChannels.userNotifications(bob.user.id), { type: "marker", data: {} });
      await waitFor(() => (bobOnA.events.length >= 2 && bobOnB.events.length >= 2 ? true : undefined));
      for (const c of [bobOnA, bobOnB]) {
        expect(c.events.map((e) => e.type)).toEqual(["notification.created", "marker"]);
        expect(c.events[0]).toMatchObject({ data: { kind: "team.invite" } });
      }
      await waitFor(() => anonymous.error ?? undefined);
      expect(anonymous.error?.data?.code).toBe("UNAUTHORIZED");
      await waitFor(() => outsider.error ?? undefined);
      expect(outsider.error?.data?.code).toBe("FORBIDDEN");
    } finally {
      for (const c of [bobOnA, bobOnB, anonymous, outsider]) c.stop();
    }
  });

  it("a roster change reaches the team's members live, after the cached team page was dropped", async () => {
    const owner = await signUp("rost_owner");
    const joiner = await signUp("rost_joiner");
    const asOwner = liveClient(platforms[0]!.url, SSE, owner.token);
    const team = await asOwner.teams.create.mutate({ name: "Roster Live", gameSlug: "valorant" });
    // Read once so the team page is cached: the event must come after its invalidation.
    expect((await asOwner.teams.bySlug.query({ slug: team.slug })).memberCount).toBe(1);
    const ownerOnB = collect((h) =>
      liveClient(platforms[1]!.url, WS, owner.token).live.team.subscribe({ teamSlug: team.slug }, h),
    );
    try {
      await waitFor(() => (ownerOnB.started ? true : undefined));
      const invite = await asOwner.invites.send.mutate({ teamSlug: team.slug, username: "rost_joiner" });
      await liveClient(platforms[0]!.url, SSE, joiner.token).invites.accept.mutate({ inviteId: invite.id });
      // Only this team's events: other test files' databases reuse team ids, and Redis pub/sub
      // channels are shared by every database on the server (CI saw another file's event here).
      const ours = () => ownerOnB.events.filter((e) => (e.data as { teamSlug?: string }).teamSlug === team.slug);
      await waitFor(() => (ours().length >= 1 ? true : undefined));
      expect(ours()[0]).toMatchObject({ type: "team.roster_changed", data: { teamSlug: team.slug } });
      // What a listener reads on the event is the new roster, on either process.
      const seen = await liveClient(platforms[1]!.url, SSE, owner.token).teams.bySlug.query({ slug: team.slug });
      expect(seen.roster.map((m) => m.username)).toContain("rost_joiner");
      await asOwner.teams.removeMember.mutate({ slug: team.slug, username: "rost_joiner" });
      await waitFor(() => (ours().length >= 2 ? true : undefined));
      expect(ours()[1]).toMatchObject({ type: "team.roster_changed" });
    } finally {
      ownerOnB.stop();
    }
  });

  it("a client that reconnects with its last event id gets every missed event, once, then live ones", async () => {
    const t = await tournament();
    const channel = liveChannels.tournament(t.id);
    const first = collect((h) =>
      liveClient(platforms[0]!.url, SSE).live.tournament.subscribe({ tournamentSlug: t.slug }, h),
    );
    await waitFor(() => (first.started ? true : undefined));
    for (const n of [1, 2]) await publisher.publish(channel, { type: "match.updated", data: { n } });
    await waitFor(() => (first.events.length >= 2 ? true : undefined));
    first.stop();
    const last = first.events.at(-1)!.id;
    // Published while no one listens.
    for (const n of [3, 4, 5]) await publisher.publish(channel, { type: "match.updated", data: { n } });
    const again = collect((h) =>
      liveClient(platforms[1]!.url, WS).live.tournament.subscribe({ tournamentSlug: t.slug, lastEventId: last }, h),
    );
    try {
      await waitFor(() => (again.events.length >= 3 ? true : undefined));
      await publisher.publish(channel, { type: "match.updated", data: { n: 6 } });
      await waitFor(() => (again.events.length >= 4 ? true : undefined));
      expect(again.events.map((e) => e.data.n)).toEqual([3, 4, 5, 6]);
    } finally {
      again.stop();
    }
  });

  it("a draft tournament cannot be followed, and bad event ids are refused", async () => {
    const draft = await tournament("draft");
    const c = collect((h) =>
      liveClient(platforms[0]!.url, SSE).live.tournament.subscribe({ tournamentSlug: draft.slug }, h),
    );
    try {
      await waitFor(() => c.error ?? undefined);
      expect(c.error?.data?.code).toBe("NOT_FOUND");
    } finally {
      c.stop();
    }
    const t = await tournament();
    const bad = collect((h) =>
      liveClient(platforms[0]!.url, WS).live.tournament.subscribe(
        { tournamentSlug: t.slug, lastEventId: "x' or 1=1" },
        h,
      ),
    );
    try {
      await waitFor(() => bad.error ?? undefined);
      expect(bad.error?.data?.code).toBe("BAD_REQUEST");
    } finally {
      bad.stop();
    }
  });
});
