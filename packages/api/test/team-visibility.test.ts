/**
 * Team settings' visibility (issue 17): a members-only roster and a members-only feed show to the
 * team's active members and staff, never to strangers or anonymous callers — on the team page
 * (one cached whole, cut per viewer after the cache read) and in the team feed. Deciding costs at
 * most the session lookup, and only for a team that hides something.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { uniq } from "./budgets/scenario.ts";
import { useApi, type Api } from "./support.ts";

type User = Awaited<ReturnType<Api["user"]>>;

describe("members-only roster and feed", () => {
  const api = useApi();

  /** An owner, a player on the team, a stranger and a staff user; the team page cached. */
  async function people(name: string) {
    const owner = await api.user(uniq(`${name}own`));
    const team = await api.team(owner, uniq(`${name} `));
    const player = await api.user(uniq(`${name}pl`));
    await api.addMember(owner, team.slug, player);
    const stranger = await api.user(uniq(`${name}str`));
    const staff = await api.user(uniq(`${name}stf`));
    await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
    return { owner, team, player, stranger, staff };
  }

  /** The page as `who` (undefined: anonymous) sees it, with the statements the call ran. */
  const page = async (slug: string, who?: User) => {
    const { result, report } = await api.measure(() => (who ? who.caller : api.caller()).teams.bySlug({ slug }));
    return { page: result, queries: report.ledger.count };
  };

  it("the roster: members and staff see it, strangers and anonymous get roster: []", async () => {
    const { owner, team, player, stranger, staff } = await people("Closed");
    const everyone = [owner.user.username, player.user.username].sort();
    // Public first: everyone sees the roster, and a signed-in viewer costs nothing on a hit.
    await page(team.slug);
    expect(await page(team.slug, stranger)).toMatchObject({ queries: 0 });
    expect((await page(team.slug, stranger)).page.roster.map((m) => m.username).sort()).toEqual(everyone);

    await owner.caller.teamSettings.update({ teamSlug: team.slug, rosterVisibility: "members" });
    await page(team.slug); // fills the cache
    for (const [who, sees] of [
      [player, true],
      [owner, true],
      [staff, true],
      [stranger, false],
      [undefined, false],
    ] as const) {
      const seen = await page(team.slug, who);
      const label = who?.user.username ?? "anonymous";
      expect(seen.page.roster.map((m) => m.username).sort(), label).toEqual(sees ? everyone : []);
      // Anonymous: a cache hit, nothing else; signed in: the session lookup only.
      expect(seen.queries, label).toBe(who ? 1 : 0);
      expect(seen.page.settings.rosterVisibility).toBe("members");
      expect(seen.page.memberCount).toBe(2);
      if (!sees) expect(JSON.stringify(seen.page), label).not.toContain(player.user.username);
    }

    // A member who leaves no longer sees it (the page was invalidated; membership is read from it).
    await player.caller.teams.leave({ slug: team.slug });
    expect((await page(team.slug, player)).page.roster).toEqual([]);
    expect((await page(team.slug, owner)).page.roster.map((m) => m.username)).toEqual([owner.user.username]);
    // The owner's own writes answer with the page as the owner sees it.
    const updated = await owner.caller.teams.update({ slug: team.slug, description: "members only" });
    expect(updated.roster.map((m) => m.username)).toEqual([owner.user.username]);
  });

  it("the feed: the team feed and the pinned post show to members and staff only", async () => {
    const { owner, team, player, stranger, staff } = await people("Quiet");
    const secret = `members-only news ${uniq("n")}`;
    const post = await player.caller.posts.create({ teamSlug: team.slug, body: secret });
    await owner.caller.posts.pin({ teamSlug: team.slug, postId: post.id });
    await owner.caller.teamSettings.update({ teamSlug: team.slug, feedVisibility: "members" });

    for (const who of [player, owner, staff]) {
      const feed = await who.caller.posts.teamFeed({ teamSlug: team.slug, limit: 10 });
      expect(feed.items.map((p) => p.body)).toEqual([secret]);
      expect((await page(team.slug, who)).page.pinnedPost?.id).toBe(post.id);
    }
    for (const who of [stranger, undefined]) {
      await api.refused(() => (who ? who.caller : api.caller()).posts.teamFeed({ teamSlug: team.slug, limit: 10 }), {
        code: "FORBIDDEN",
      });
      const seen = await page(team.slug, who);
      expect(seen.page.pinnedPost).toBeNull();
      expect(JSON.stringify(seen.page)).not.toContain(secret);
      // The roster stays public: only the feed is hidden.
      expect(seen.page.roster).toHaveLength(2);
    }
  });
});
