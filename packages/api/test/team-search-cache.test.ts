/**
 * Team search pages are cached (teamSearch) with exact invalidation: a repeat costs no query, and
 * every change a search row shows — a team created, renamed or disbanded, a member joining or
 * leaving, CP and tier, the organization's name — is in the next search, on this process and on
 * another one (its memory tier dropped through pub/sub). A change no row shows (a follow, a pinned
 * post, settings, the logo) keeps the cached pages. Game and name-prefix searches stay live.
 */
import { Cache, rankings } from "@deltacrown/domain";
import { waitFor } from "@deltacrown/test-harness";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCallerFactory, createContextInner, JsonText, type CallReport } from "../src/index.ts";
import { uniq } from "./budgets/scenario.ts";
import { storedUpload } from "./budgets/uploads.scenarios.ts";
import { testConfig, useApi } from "./support.ts";

describe("team search cache", () => {
  const api = useApi();
  const reports: CallReport[] = [];
  // Two API processes: each its own Cache with the invalidation subscription, as the server runs them.
  const caches: Cache[] = [];
  const connections: Redis[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const [redis, subscriber] = [new Redis(api.services.redisUrl), new Redis(api.services.redisUrl)];
      connections.push(redis, subscriber);
      caches.push(new Cache({ redis, subscriber, memoryTtlMs: 60_000 }));
    }
    await Promise.all(caches.map((c) => c.listen()));
  });
  afterAll(() => {
    for (const c of connections) c.disconnect();
  });
  /** A caller on process `p` (0 or 1); `lean`: the server's raw-JSON path (pre-serialized hits). */
  const on = (p: number, token: string | null = null, lean = false) =>
    createCallerFactory(appRouter)({
      ...createContextInner({
        db: api.db,
        cache: caches[p]!,
        config: testConfig,
        contractMode: "throw",
        token,
        onCall: (r) => reports.push(r),
      }),
      acceptsJsonText: lean,
    });
  const lastQueries = () => reports.at(-1)!.ledger.count;
  const plain = (page: unknown) => (page instanceof JsonText ? (JSON.parse(page.text) as unknown) : page);
  type Page = {
    items: {
      slug: string;
      name: string;
      memberCount: number;
      tier: string | null;
      currentCp: number | null;
      organization: { name: string } | null;
    }[];
    nextCursor: number | null;
  };
  const search = async (p: number, input: Parameters<ReturnType<typeof on>["teams"]["search"]>[0], lean = false) =>
    plain(await on(p, null, lean).teams.search(input)) as Page;

  /** A signed-up user whose calls (writes included) run on process 0, where the searches run. */
  async function user(name: string) {
    const auth = await api.user(uniq(name));
    return { ...auth, caller: on(0, auth.token) };
  }

  /** A user with an organization of their own: its searches list only the teams a test puts there. */
  async function orgOwner(name: string) {
    const owner = await user(name);
    const org = await owner.caller.orgs.create({ name: uniq(`${name} Org `) });
    const team = (teamName: string) =>
      owner.caller.teams.create({ name: uniq(teamName), gameSlug: "valorant", organizationSlug: org.slug });
    return { owner, org, team };
  }

  it("a repeat is a hit: no query, on both paths, for any limit; the next page too", async () => {
    const { org, team } = await orgOwner("hit");
    for (let i = 0; i < 5; i++) await team(`Hit ${i} `);
    const first = await search(0, { organizationSlug: org.slug, limit: 2 });
    expect(lastQueries()).toBe(1);
    expect(first.items).toHaveLength(2);
    expect(await search(0, { organizationSlug: org.slug, limit: 2 })).toEqual(first);
    expect(lastQueries()).toBe(0);
    // Another limit is served by the same block.
    expect((await search(0, { organizationSlug: org.slug, limit: 4 })).items.slice(0, 2)).toEqual(first.items);
    expect(lastQueries()).toBe(0);
    // The server's path: once stored, the page is its JSON text, still no query.
    const texts = [];
    for (let i = 0; i < 2; i++)
      texts.push(await on(0, null, true).teams.search({ organizationSlug: org.slug, limit: 2 }));
    expect(texts[1]).toBeInstanceOf(JsonText);
    expect(plain(texts[1])).toEqual(first);
    expect(lastQueries()).toBe(0);
    // The next page (a real cursor) is cached as well, and ends the list.
    const next = await search(0, { organizationSlug: org.slug, limit: 2, cursor: first.nextCursor! });
    expect(await search(0, { organizationSlug: org.slug, limit: 2, cursor: first.nextCursor! })).toEqual(next);
    expect(lastQueries()).toBe(0);
    const last = await search(0, { organizationSlug: org.slug, limit: 2, cursor: next.nextCursor! });
    expect(last.items).toHaveLength(1);
    expect(last.nextCursor).toBeNull();
  });

  it("reads live what it must not key: a cursor no listed team has, a name prefix, a game", async () => {
    const { org, team } = await orgOwner("live");
    const a = await team("Live A ");
    await team("Live B ");
    for (const input of [
      { organizationSlug: org.slug, cursor: a.id + 100_000, limit: 5 }, // any integer: not a key
      { namePrefix: "live", limit: 5 },
      { gameSlug: "valorant", limit: 5 },
      { organizationSlug: org.slug.toUpperCase(), limit: 5 }, // keys are lower case, SQL is not
    ]) {
      await search(0, input);
      await search(0, input);
      expect(lastQueries(), JSON.stringify(input)).toBeGreaterThan(0);
    }
  });

  // Writes run on the searching process: there the next search must show them at once (another
  // process hears of them through pub/sub, as the last test shows).
  it("the next search shows each change: created, renamed, joined, left, disbanded", async () => {
    const { owner, org, team } = await orgOwner("chg");
    const alpha = await team("Alpha ");
    const slugs = async (p = 0) =>
      (await search(p, { organizationSlug: org.slug, limit: 10 })).items.map((t) => t.slug);
    const row = async (slug: string, p = 0) =>
      (await search(p, { organizationSlug: org.slug, limit: 10 })).items.find((t) => t.slug === slug);
    expect(await slugs()).toEqual([alpha.slug]);
    expect(await slugs()).toEqual([alpha.slug]); // cached now

    // Created: the creator finds it at once (and in the unfiltered directory, newest first).
    await search(0, { limit: 3 });
    const beta = await team("Beta ");
    expect(await slugs()).toEqual([beta.slug, alpha.slug]);
    expect((await search(0, { limit: 3 })).items[0]!.slug).toBe(beta.slug);

    await owner.caller.teams.update({ slug: beta.slug, name: "Beta Renamed" });
    expect((await row(beta.slug))!.name).toBe("Beta Renamed");

    const member = await user("chg_m");
    await api.addMember(owner, beta.slug, member);
    expect((await row(beta.slug))!.memberCount).toBe(2);
    await member.caller.teams.leave({ slug: beta.slug });
    expect((await row(beta.slug))!.memberCount).toBe(1);
    const other = await user("chg_o");
    await api.addMember(owner, beta.slug, other);
    expect((await row(beta.slug))!.memberCount).toBe(2);
    await owner.caller.teams.removeMember({ slug: beta.slug, username: other.user.username });
    expect((await row(beta.slug))!.memberCount).toBe(1);

    await owner.caller.teams.disband({ slug: beta.slug });
    expect(await slugs()).toEqual([alpha.slug]);
  });

  it("the next search shows CP and tier changes, and the organization's new name", async () => {
    const staff = await user("chg_staff");
    await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
    const { owner, org, team } = await orgOwner("rank");
    const t = await team("Ranked ");
    const row = async () => (await search(0, { organizationSlug: org.slug, limit: 10 })).items[0]!;
    const before = await row();
    expect(await row()).toEqual(before);
    await staff.caller.rankings.adjust({ teamSlug: t.slug, delta: 900, reason: "search test" });
    expect((await row()).currentCp).toBe((before.currentCp ?? 0) + 900);
    // The tier is set by the leaderboard job; a search by the new tier finds the team too.
    const gameId = (
      await api.db.selectFrom("games").select("id").where("slug", "=", "valorant").executeTakeFirstOrThrow()
    ).id;
    await rankings.recomputeLeaderboard({ db: api.db, cache: caches[0]! }, gameId);
    const tier = (await row()).tier;
    expect(tier).not.toBe(before.tier);
    expect((await search(0, { organizationSlug: org.slug, tier: tier!, limit: 5 })).items.map((x) => x.slug)).toEqual([
      t.slug,
    ]);

    // The team page (cached before the rename) shows the new name too: it used to keep the old
    // one for its whole TTL (10 min).
    const page = async () => (await owner.caller.teams.bySlug({ slug: t.slug })).organization?.name;
    const oldName = await page();
    expect(await page()).toBe(oldName);
    await owner.caller.orgs.update({ slug: org.slug, name: uniq("Renamed Org ") });
    const renamed = (await owner.caller.orgs.bySlug({ slug: org.slug })).name;
    expect(renamed).not.toBe(oldName);
    expect((await row()).organization?.name).toBe(renamed);
    expect(await page()).toBe(renamed);
  });

  it("a change no search row shows (follow, pin, settings, logo) keeps the cached pages; the team page shows it", async () => {
    const { owner, org, team } = await orgOwner("keep");
    const t = await team("Kept ");
    const input = { organizationSlug: org.slug, limit: 5 };
    const cached = await search(0, input);
    const teamPage = () => owner.caller.teams.bySlug({ slug: t.slug });
    const before = await teamPage();
    expect(await teamPage()).toEqual(before); // cached too

    const fan = await user("keep_fan");
    await fan.caller.follows.follow({ teamSlug: t.slug });
    expect((await teamPage()).followerCount).toBe(before.followerCount + 1);
    const post = await owner.caller.posts.create({ teamSlug: t.slug, body: "pinned news" });
    await owner.caller.posts.pin({ teamSlug: t.slug, postId: post.id });
    expect((await teamPage()).pinnedPost?.id).toBe(post.id);
    await owner.caller.teamSettings.update({
      teamSlug: t.slug,
      acceptsJoinRequests: !before.settings.acceptsJoinRequests,
    });
    expect((await teamPage()).settings.acceptsJoinRequests).toBe(!before.settings.acceptsJoinRequests);
    await fan.caller.follows.unfollow({ teamSlug: t.slug });
    expect((await teamPage()).followerCount).toBe(before.followerCount);
    const logo = await storedUpload(api, owner.user.id);
    await owner.caller.teams.setImages({ slug: t.slug, logoUploadId: logo.id });
    expect((await teamPage()).logoUrl).toBe(`/media/${logo.storage_key}`);

    // The search page is still the cached one: no query.
    expect(await search(0, input)).toEqual(cached);
    expect(lastQueries()).toBe(0);
    // A change its row shows still drops it.
    await owner.caller.teams.update({ slug: t.slug, name: "Kept Renamed" });
    expect((await search(0, input)).items[0]!.name).toBe("Kept Renamed");
  });

  it("another process's write drops this process's cached pages (memory tier, through pub/sub)", async () => {
    const { owner, org, team } = await orgOwner("xproc");
    const t = await team("Across ");
    const name = async (p: number) => (await search(p, { organizationSlug: org.slug, limit: 5 }, true)).items[0]!.name;
    // Both processes hold the page in memory (and process 0 its text).
    for (let i = 0; i < 2; i++) for (const p of [0, 1]) expect(await name(p)).toBe(t.name);
    expect(lastQueries()).toBe(0);
    // The rename runs on process 1; process 0 hears of it through Redis pub/sub.
    await on(1, owner.token).teams.update({ slug: t.slug, name: "Across Renamed" });
    expect(await name(1)).toBe("Across Renamed");
    await waitFor(async () => (await name(0)) === "Across Renamed");
  });
});
