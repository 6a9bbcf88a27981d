/**
 * Issue 17, the team's social side through the API: each permission allowed and refused (a
 * refusal writes nothing), the precomputed follower count under concurrent follows, and the
 * cached team page invalidated by every writer of what it shows.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { social } from "@deltacrown/domain";
import { uniq } from "./budgets/scenario.ts";
import { storedUpload } from "./budgets/uploads.scenarios.ts";
import { useApi, type Api } from "./support.ts";

const day = 24 * 3600 * 1000;
const window = () => ({ startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + 30 * day) });

/** A team with an owner, a manager, a captain, a coach and a player; plus an outsider. */
async function crew(api: Api) {
  const owner = await api.user(uniq("own"));
  const team = await api.team(owner, uniq("Crew "));
  const members = {} as Record<"manager" | "captain" | "coach" | "player", Awaited<ReturnType<Api["user"]>>>;
  for (const role of ["manager", "captain", "coach", "player"] as const) {
    members[role] = await api.user(uniq(role));
    await api.addMember(owner, team.slug, members[role], role);
  }
  const outsider = await api.user(uniq("out"));
  return { owner, team, ...members, outsider };
}

describe("team social life", () => {
  const api = useApi();
  /** A stored image's row for `who` (the bytes are apps/server's business, tested there). */
  const uploadOf = async (who: { user: { id: number } }) => (await storedUpload(api, who.user.id)).id;

  it("posts: members post, the post policy narrows it, outsiders are refused; text is sanitized", async () => {
    const c = await crew(api);
    const p = await c.player.caller.posts.create({
      teamSlug: c.team.slug,
      body: "<b>Hello</b> <script>x()</script>team",
    });
    expect(p.body).not.toContain("<");
    await api.refused(() => c.outsider.caller.posts.create({ teamSlug: c.team.slug, body: "hi" }), {
      code: "FORBIDDEN",
    });
    await c.owner.caller.teamSettings.update({ teamSlug: c.team.slug, postPolicy: "captains" });
    await api.refused(() => c.player.caller.posts.create({ teamSlug: c.team.slug, body: "hi" }), { code: "FORBIDDEN" });
    await c.captain.caller.posts.create({ teamSlug: c.team.slug, body: "captain speaking" });
    await api.refused(
      () =>
        c.owner.caller.posts.create({ teamSlug: c.team.slug, body: "x", imageIds: Array(5).fill(crypto.randomUUID()) }),
      { code: "BAD_REQUEST", field: "imageIds" },
    );
    await api.refused(
      () => c.owner.caller.posts.create({ teamSlug: c.team.slug, body: "x", imageIds: ["not-a-uuid"] }),
      {
        code: "BAD_REQUEST",
      },
    );
    // Images: only the author's own uploads.
    const own = await uploadOf(c.owner);
    const others = await uploadOf(c.captain);
    await api.refused(
      () => c.owner.caller.posts.create({ teamSlug: c.team.slug, body: "x", imageIds: [own, others] }),
      { code: "NOT_FOUND", field: "imageIds.1" },
    );
    expect(
      (await c.owner.caller.posts.create({ teamSlug: c.team.slug, body: "pic", imageIds: [own] })).imageIds,
    ).toEqual([own]);
  });

  it("teams.viewer says what the social UI may offer, by the writers' own rules, and whether I follow", async () => {
    const c = await crew(api);
    const can = async (who: typeof c.owner) => (await who.caller.teams.viewer({ slug: c.team.slug })).can;
    const social = (v: Awaited<ReturnType<typeof can>>) => ({
      post: v.post,
      pin: v.pin,
      deleteOthersPosts: v.deleteOthersPosts,
      changeSettings: v.changeSettings,
      manageSponsors: v.manageSponsors,
      approveSponsors: v.approveSponsors,
      viewAnalytics: v.viewAnalytics,
    });
    expect(social(await can(c.owner))).toEqual({
      post: true,
      pin: true,
      deleteOthersPosts: true,
      changeSettings: true,
      manageSponsors: true,
      approveSponsors: true,
      viewAnalytics: true,
    });
    const none = {
      post: false,
      pin: false,
      deleteOthersPosts: false,
      changeSettings: false,
      manageSponsors: false,
      approveSponsors: false,
      viewAnalytics: false,
    };
    expect(social(await can(c.player))).toEqual({ ...none, post: true });
    expect(social(await can(c.outsider))).toEqual(none);
    // The post policy narrows `post` as it narrows posts.create.
    await c.owner.caller.teamSettings.update({ teamSlug: c.team.slug, postPolicy: "captains" });
    expect((await can(c.player)).post).toBe(false);
    expect((await can(c.captain)).post).toBe(true);
    // What is answered is what the writers allow: a player's refusals, a manager's success.
    const ownersPost = await c.owner.caller.posts.create({ teamSlug: c.team.slug, body: "owner's" });
    await api.refused(() => c.player.caller.posts.delete({ postId: ownersPost.id }), { code: "FORBIDDEN" });
    await api.refused(() => c.player.caller.posts.pin({ teamSlug: c.team.slug, postId: ownersPost.id }), {
      code: "FORBIDDEN",
    });
    await api.refused(() => c.player.caller.teamAnalytics.weekly({ teamSlug: c.team.slug, limit: 5 }), {
      code: "FORBIDDEN",
    });
    expect((await can(c.coach)).viewAnalytics).toBe(true);
    await c.coach.caller.teamAnalytics.weekly({ teamSlug: c.team.slug, limit: 5 });

    // Following: the viewer's own follow row, nobody else's.
    expect((await c.outsider.caller.teams.viewer({ slug: c.team.slug })).following).toBe(false);
    await c.outsider.caller.follows.follow({ teamSlug: c.team.slug });
    expect((await c.outsider.caller.teams.viewer({ slug: c.team.slug })).following).toBe(true);
    expect((await c.player.caller.teams.viewer({ slug: c.team.slug })).following).toBe(false);
    await c.outsider.caller.follows.unfollow({ teamSlug: c.team.slug });
    expect((await c.outsider.caller.teams.viewer({ slug: c.team.slug })).following).toBe(false);
  });

  it("posts: deleted by the author or a moderator (deletePosts), refused to others", async () => {
    const c = await crew(api);
    const a = await c.player.caller.posts.create({ teamSlug: c.team.slug, body: "mine" });
    const b = await c.manager.caller.posts.create({ teamSlug: c.team.slug, body: "manager's" });
    await api.refused(() => c.coach.caller.posts.delete({ postId: a.id }), { code: "FORBIDDEN" });
    await api.refused(() => c.player.caller.posts.delete({ postId: b.id }), { code: "FORBIDDEN" });
    await api.refused(() => c.outsider.caller.posts.delete({ postId: a.id }), { code: "FORBIDDEN" });
    await c.player.caller.posts.delete({ postId: a.id });
    await c.captain.caller.posts.delete({ postId: b.id });
    const feed = await api.caller().posts.teamFeed({ teamSlug: c.team.slug, limit: 10 });
    expect(feed.items).toEqual([]);
  });

  it("pinning: moderators only; one pinned post, shown on the team page (invalidated)", async () => {
    const c = await crew(api);
    const a = await c.player.caller.posts.create({ teamSlug: c.team.slug, body: "first" });
    const b = await c.player.caller.posts.create({ teamSlug: c.team.slug, body: "second" });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).pinnedPost).toBeNull(); // cached now
    await api.refused(() => c.player.caller.posts.pin({ teamSlug: c.team.slug, postId: a.id }), { code: "FORBIDDEN" });
    await c.captain.caller.posts.pin({ teamSlug: c.team.slug, postId: a.id });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).pinnedPost?.id).toBe(a.id);
    await c.captain.caller.posts.pin({ teamSlug: c.team.slug, postId: b.id });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).pinnedPost?.id).toBe(b.id);
    const feed = await api.caller().posts.teamFeed({ teamSlug: c.team.slug, limit: 10 });
    expect(feed.items.map((p) => [p.id, p.pinned])).toEqual([
      [b.id, true],
      [a.id, false],
    ]);
    await c.player.caller.posts.delete({ postId: b.id });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).pinnedPost).toBeNull();
  });

  it("feeds: members-only feeds are refused to others; the home feed pages newest first over followed teams", async () => {
    const fan = await api.user(uniq("homefan"));
    const teams: { owner: Awaited<ReturnType<Api["user"]>>; team: { slug: string } }[] = [];
    for (let i = 0; i < 3; i++) {
      const owner = await api.user(uniq("hown"));
      const team = await api.team(owner, uniq("Home "));
      teams.push({ owner, team });
      await fan.caller.follows.follow({ teamSlug: team.slug });
    }
    const ids: number[] = [];
    for (let round = 0; round < 3; round++)
      for (const { owner, team } of teams)
        ids.push((await owner.caller.posts.create({ teamSlug: team.slug, body: `r${round}` })).id);
    const seen: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await fan.caller.posts.homeFeed({ limit: 4, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].sort((x, y) => y - x));
    // A members-only feed: hidden from non-members (team feed refused, home feed skips it).
    await teams[0]!.owner.caller.teamSettings.update({ teamSlug: teams[0]!.team.slug, feedVisibility: "members" });
    await api.refused(() => fan.caller.posts.teamFeed({ teamSlug: teams[0]!.team.slug, limit: 5 }), {
      code: "FORBIDDEN",
    });
    const home = await fan.caller.posts.homeFeed({ limit: 50 });
    expect(home.items.some((p) => p.team.slug === teams[0]!.team.slug)).toBe(false);
    expect(
      (await teams[0]!.owner.caller.posts.teamFeed({ teamSlug: teams[0]!.team.slug, limit: 5 })).items,
    ).toHaveLength(3);
  });

  it("follows: the precomputed count stays exact under concurrent follows and unfollows", async () => {
    const owner = await api.user(uniq("crowd"));
    const team = await api.team(owner, uniq("Crowd "));
    const fans = await Promise.all(Array.from({ length: 12 }, () => api.user(uniq("cf"))));
    await Promise.all(
      fans.flatMap((f) => [
        f.caller.follows.follow({ teamSlug: team.slug }),
        f.caller.follows.follow({ teamSlug: team.slug }),
      ]),
    );
    await Promise.all(fans.slice(0, 5).map((f) => f.caller.follows.unfollow({ teamSlug: team.slug })));
    const { rows } = await sql<{ count: number; follower_count: number }>`
      select (select count(*)::int from team_follows f where f.team_id = t.id) as count, t.follower_count
      from teams t where t.slug = ${team.slug}`.execute(api.db);
    expect(rows[0]).toEqual({ count: 7, follower_count: 7 });
    expect((await api.caller().teams.bySlug({ slug: team.slug })).followerCount).toBe(7);
    const followers = await api.caller().follows.followers({ teamSlug: team.slug, limit: 4 });
    expect(followers.items).toHaveLength(4);
    const rest = await api.caller().follows.followers({ teamSlug: team.slug, limit: 4, cursor: followers.nextCursor! });
    expect(rest.items).toHaveLength(3);
    expect(rest.nextCursor).toBeNull();
    expect((await fans[11]!.caller.follows.mine()).items.map((t) => t.slug)).toEqual([team.slug]);
    await api.refused(() => fans[0]!.caller.follows.follow({ teamSlug: "no-such-team" }), { code: "NOT_FOUND" });
  });

  it("sponsors: managers propose (https only), only the owner approves, the page shows active ones", async () => {
    const c = await crew(api);
    await api.refused(
      () =>
        c.captain.caller.sponsors.propose({
          teamSlug: c.team.slug,
          name: "X",
          linkUrl: "https://x.example",
          ...window(),
        }),
      { code: "FORBIDDEN" },
    );
    await api.refused(
      () =>
        c.manager.caller.sponsors.propose({
          teamSlug: c.team.slug,
          name: "X",
          linkUrl: "javascript:alert(1)",
          ...window(),
        }),
      { code: "BAD_REQUEST", field: "linkUrl" },
    );
    await api.refused(
      () =>
        c.manager.caller.sponsors.propose({
          teamSlug: c.team.slug,
          name: "X",
          linkUrl: "https://x.example",
          logoUploadId: crypto.randomUUID(),
          ...window(),
        }),
      { code: "NOT_FOUND", field: "logoUploadId" },
    );
    const s = await c.manager.caller.sponsors.propose({
      teamSlug: c.team.slug,
      name: "Keyboards Inc",
      linkUrl: "https://keyboards.example",
      logoUploadId: await uploadOf(c.manager),
      ...window(),
    });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).sponsors).toEqual([]); // cached now
    await api.refused(() => c.manager.caller.sponsors.approve({ sponsorId: s.id }), { code: "FORBIDDEN" });
    await api.refused(
      () =>
        c.manager.caller.sponsors
          .list({ teamSlug: c.team.slug, limit: 5 })
          .then(() => c.coach.caller.sponsors.list({ teamSlug: c.team.slug, limit: 5 })),
      { code: "FORBIDDEN" },
    );
    expect((await c.owner.caller.sponsors.approve({ sponsorId: s.id })).status).toBe("active");
    await api.refused(() => c.owner.caller.sponsors.approve({ sponsorId: s.id }), {
      code: "CONFLICT",
      reason: "NOT_PENDING",
    });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).sponsors.map((x) => x.name)).toEqual([
      "Keyboards Inc",
    ]);
    // Ended by the scheduled job: dropped from the page.
    await sql`update team_sponsors set starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' where id = ${s.id}`.execute(
      api.db,
    );
    await social.sweepSponsors({ db: api.db, cache: api.cache });
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).sponsors).toEqual([]);
  });

  it("promotions: managers only; discovery shows active ones first, marked, and only once", async () => {
    const c = await crew(api);
    const other = await api.team(c.outsider, uniq("Plain "));
    await api.refused(() => c.captain.caller.promotions.create({ teamSlug: c.team.slug, ...window() }), {
      code: "FORBIDDEN",
    });
    await c.manager.caller.promotions.create({ teamSlug: c.team.slug, ...window() });
    const page = await api.caller().teams.search({ gameSlug: "valorant", limit: 50 });
    expect(page.items[0]).toMatchObject({ slug: c.team.slug, promoted: true });
    expect(page.items.filter((t) => t.slug === c.team.slug)).toHaveLength(1);
    expect(page.items.find((t) => t.slug === other.slug)?.promoted).toBe(false);
  });

  it("promotions: listed (paged) and cancelled by managers only; discovery drops a cancelled one at once", async () => {
    const c = await crew(api);
    const weeks = (from: number, to: number) => ({
      startsAt: new Date(Date.now() + from * 7 * day),
      endsAt: new Date(Date.now() + to * 7 * day),
    });
    const past = await c.owner.caller.promotions.create({ teamSlug: c.team.slug, ...weeks(-3, -2) });
    const running = await c.manager.caller.promotions.create({ teamSlug: c.team.slug, ...weeks(-1, 1) });
    const coming = await c.manager.caller.promotions.create({ teamSlug: c.team.slug, ...weeks(2, 3) });

    // Owner and manager list them, newest first, a page at a time.
    for (const who of [c.owner, c.manager]) {
      const first = await who.caller.promotions.list({ teamSlug: c.team.slug, limit: 2 });
      expect(first.items.map((p) => p.id)).toEqual([coming.id, running.id]);
      expect(first.items[0]).toEqual(coming);
      const rest = await who.caller.promotions.list({ teamSlug: c.team.slug, limit: 2, cursor: first.nextCursor! });
      expect(rest).toEqual({ items: [past], nextCursor: null });
    }
    for (const who of [c.captain, c.player, c.outsider])
      await api.refused(() => who.caller.promotions.list({ teamSlug: c.team.slug, limit: 10 }), { code: "FORBIDDEN" });
    await api.refused(() => api.caller().promotions.list({ teamSlug: c.team.slug, limit: 10 }), {
      code: "UNAUTHORIZED",
    });

    const promoted = async () =>
      (await api.caller().teams.search({ gameSlug: "valorant", limit: 50 })).items.filter(
        (t) => t.slug === c.team.slug,
      );
    expect(await promoted()).toEqual([expect.objectContaining({ promoted: true })]);

    // Cancelling: refused to the captain, a player and an outsider (nothing written), and to anonymous.
    for (const who of [c.captain, c.player, c.outsider])
      await api.refused(() => who.caller.promotions.delete({ promotionId: running.id }), { code: "FORBIDDEN" });
    await api.refused(() => api.caller().promotions.delete({ promotionId: running.id }), { code: "UNAUTHORIZED" });
    await api.refused(() => c.owner.caller.promotions.delete({ promotionId: 2_000_000_000 }), {
      code: "NOT_FOUND",
      field: "promotionId",
    });
    expect(await promoted()).toEqual([expect.objectContaining({ promoted: true })]);

    // The manager cancels the running one: discovery shows the team once, no longer promoted.
    expect(await c.manager.caller.promotions.delete({ promotionId: running.id })).toEqual({ ok: true });
    expect(await promoted()).toEqual([expect.objectContaining({ promoted: false })]);
    await api.refused(() => c.manager.caller.promotions.delete({ promotionId: running.id }), { code: "NOT_FOUND" });
    const left = await c.owner.caller.promotions.list({ teamSlug: c.team.slug, limit: 10 });
    expect(left.items.map((p) => p.id)).toEqual([coming.id, past.id]);
  });

  it("settings: owner only; a members-only roster leaves the public page", async () => {
    const c = await crew(api);
    await api.refused(
      () => c.manager.caller.teamSettings.update({ teamSlug: c.team.slug, acceptsJoinRequests: true }),
      {
        code: "FORBIDDEN",
      },
    );
    expect((await api.caller().teams.bySlug({ slug: c.team.slug })).roster.length).toBe(5);
    const s = await c.owner.caller.teamSettings.update({
      teamSlug: c.team.slug,
      rosterVisibility: "members",
      acceptsJoinRequests: true,
    });
    expect(s).toEqual({
      rosterVisibility: "members",
      feedVisibility: "public",
      postPolicy: "members",
      acceptsJoinRequests: true,
    });
    const page = await api.caller().teams.bySlug({ slug: c.team.slug });
    expect(page.roster).toEqual([]);
    expect(page.settings.acceptsJoinRequests).toBe(true);
  });

  it("analytics: owner, manager, captain, coach; refused to players and outsiders", async () => {
    const c = await crew(api);
    await c.outsider.caller.follows.follow({ teamSlug: c.team.slug });
    await social.computeAnalytics(api.db, {
      weekStart: social.weekStartOf(new Date()),
      viewTotals: new Map([[c.team.slug.toLowerCase(), 42]]),
    });
    for (const who of [c.owner, c.manager, c.captain, c.coach]) {
      const page = await who.caller.teamAnalytics.weekly({ teamSlug: c.team.slug, limit: 5 });
      expect(page.items[0]).toMatchObject({ pageViews: 42, followersGained: 1, followersTotal: 1 });
    }
    for (const who of [c.player, c.outsider])
      await api.refused(() => who.caller.teamAnalytics.weekly({ teamSlug: c.team.slug, limit: 5 }), {
        code: "FORBIDDEN",
      });
  });
});
