/**
 * Pre-serialized hits (src/reads/pre-serialized.ts): with `acceptsJsonText` (the server's lean
 * path) a hot read's repeat answers with the JSON text of the validated output it stored — 0
 * queries, no resolver — and any change of the cache entries it came from (invalidation by a
 * write, a leaderboard recompute) makes the next call compute and store again. Without the flag
 * (createCaller, tRPC's adapter) callers get plain values, as before.
 */
import { Cache, rankings } from "@deltacrown/domain";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCallerFactory, createContextInner, JsonText, type CallReport } from "../src/index.ts";
import { uniq } from "./budgets/scenario.ts";
import { testConfig, useApi } from "./support.ts";

describe("pre-serialized hits", () => {
  const api = useApi();
  const reports: CallReport[] = [];
  // As the server's: Redis with the invalidation subscription (the memory tier serves only while it holds).
  let cache: Cache;
  let connections: Redis[] = [];
  beforeAll(async () => {
    connections = [new Redis(api.services.redisUrl), new Redis(api.services.redisUrl)];
    cache = new Cache({ redis: connections[0]!, subscriber: connections[1]! });
    await cache.listen();
  });
  afterAll(() => {
    for (const c of connections) c.disconnect();
  });
  const lean = (token: string | null = null) =>
    createCallerFactory(appRouter)({
      ...createContextInner({
        db: api.db,
        cache,
        config: testConfig,
        contractMode: "throw",
        token,
        onCall: (r) => reports.push(r),
      }),
      acceptsJsonText: true,
    });
  const lastQueries = () => reports.at(-1)!.ledger.count;

  it("the team page: stored once computed, then served as its text; a write changes it at once", async () => {
    const owner = await api.user(uniq("pso"));
    const team = await api.team(owner, uniq("Pre Ser "));
    // The first read computes (and stores once its entry is in memory: creating the team may have put it there).
    const reads: unknown[] = [];
    for (let i = 0; i < 3; i++) reads.push(await lean().teams.bySlug({ slug: team.slug }));
    const hitAt = reads.findIndex((r) => r instanceof JsonText);
    expect(hitAt).toBeGreaterThan(0);
    expect((reads[hitAt] as JsonText).text).toBe(JSON.stringify(reads[hitAt - 1]));
    expect(reads.slice(hitAt).every((r) => r instanceof JsonText)).toBe(true);
    expect(lastQueries()).toBe(0);
    // The hit still counts the page view for the warming job.
    await expect
      .poll(async () => Number(await api.services.redis.zscore("dc:views:teamDetail", team.slug)))
      .toBeGreaterThanOrEqual(3);

    await lean(owner.token).teams.update({ slug: team.slug, description: "changed after the text was stored" });
    const after = await lean().teams.bySlug({ slug: team.slug });
    expect(after).not.toBeInstanceOf(JsonText);
    expect(after.description).toBe("changed after the text was stored");
    // createCaller without the flag never sees a JsonText.
    expect(await api.caller().teams.bySlug({ slug: team.slug })).not.toBeInstanceOf(JsonText);
  });

  it("a members-only team: a member's page is never stored, and no signed-in caller gets the anonymous text", async () => {
    const owner = await api.user(uniq("psm"));
    const team = await api.team(owner, uniq("Hidden Roster "));
    const member = await api.user(uniq("psmember"));
    const stranger = await api.user(uniq("psstranger"));
    await api.addMember(owner, team.slug, member);
    await owner.caller.teamSettings.update({ teamSlug: team.slug, rosterVisibility: "members" });
    // A member reads first, repeatedly: a value each time, never a stored text.
    for (let i = 0; i < 3; i++) {
      const page = await lean(member.token).teams.bySlug({ slug: team.slug });
      expect(page).not.toBeInstanceOf(JsonText);
      expect(page.roster.map((m) => m.username).sort()).toEqual([owner.user.username, member.user.username].sort());
    }
    // Had the member's page been stored, anonymous callers and strangers would now be served it.
    const texts: unknown[] = [];
    for (let i = 0; i < 3; i++) texts.push(await lean().teams.bySlug({ slug: team.slug }));
    const hit = texts.find((r): r is JsonText => r instanceof JsonText);
    expect(hit).toBeDefined();
    expect(JSON.parse(hit!.text)).toMatchObject({ slug: team.slug, roster: [] });
    expect(hit!.text).not.toContain(member.user.username);
    for (let i = 0; i < 2; i++) {
      const seen = await lean(stranger.token).teams.bySlug({ slug: team.slug });
      expect(seen).not.toBeInstanceOf(JsonText);
      expect(seen.roster).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain(member.user.username);
    }
    // With the anonymous text stored, the member still gets the whole roster (not the stored text).
    const again = await lean(member.token).teams.bySlug({ slug: team.slug });
    expect(again).not.toBeInstanceOf(JsonText);
    expect(again.roster).toHaveLength(2);
  });

  it("a public team: a signed-in caller's page is stored and served to everyone, until it goes members-only", async () => {
    const owner = await api.user(uniq("psp"));
    const team = await api.team(owner, uniq("Open Roster "));
    const member = await api.user(uniq("pspmember"));
    const stranger = await api.user(uniq("pspstranger"));
    await api.addMember(owner, team.slug, member);
    // Signed-in callers only: the member's page is every viewer's, so it is stored and served as text
    // (a few reads: the entry is in memory once the invalidations of adding the member have arrived).
    const reads: unknown[] = [];
    while (reads.length < 6 && !(reads.at(-1) instanceof JsonText))
      reads.push(await lean(member.token).teams.bySlug({ slug: team.slug }));
    const hitAt = reads.findIndex((r) => r instanceof JsonText);
    expect(hitAt).toBeGreaterThan(0);
    expect((reads[hitAt] as JsonText).text).toBe(JSON.stringify(reads[hitAt - 1]));
    // A hit runs no resolver: no session lookup, no query.
    expect(lastQueries()).toBe(0);
    const strangers = await lean(stranger.token).teams.bySlug({ slug: team.slug });
    expect(strangers).toBeInstanceOf(JsonText);
    expect(lastQueries()).toBe(0);
    const anonymous = await lean().teams.bySlug({ slug: team.slug });
    expect(anonymous).toBeInstanceOf(JsonText);
    expect((anonymous as unknown as JsonText).text).toBe((reads[hitAt] as JsonText).text);
    expect((anonymous as unknown as JsonText).text).toContain(member.user.username);

    // Members-only now (through this cache, so its entries change at once): the stored public page
    // is not served; the member's fuller page is never stored.
    await lean(owner.token).teamSettings.update({ teamSlug: team.slug, rosterVisibility: "members" });
    for (let i = 0; i < 3; i++) {
      const page = await lean(member.token).teams.bySlug({ slug: team.slug });
      expect(page).not.toBeInstanceOf(JsonText);
      expect(page.roster).toHaveLength(2);
    }
    for (const token of [null, stranger.token]) {
      for (let i = 0; i < 3; i++) {
        const page = await lean(token).teams.bySlug({ slug: team.slug });
        const text = page instanceof JsonText ? page.text : JSON.stringify(page);
        expect(JSON.parse(text)).toMatchObject({ slug: team.slug, roster: [] });
        expect(text).not.toContain(member.user.username);
      }
    }
  });

  it("the leaderboard's top 100 in one call, served as text; a recompute changes it", async () => {
    const staff = await api.user(uniq("pss"));
    await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
    const owner = await api.user(uniq("psl"));
    const team = await api.team(owner, uniq("Board "), "dota2");
    await staff.caller.rankings.adjust({ teamSlug: team.slug, delta: 300, reason: "seed" });
    const gameId = (await api.caller().games.bySlug({ slug: "dota2" })).id;
    await rankings.recomputeLeaderboard({ db: api.db, cache }, gameId);

    const read = () => lean().rankings.leaderboard({ gameSlug: "dota2", limit: 100 });
    await read();
    const stored = await read();
    const hit = (await read()) as unknown as JsonText;
    expect(hit).toBeInstanceOf(JsonText);
    expect(hit.text).toBe(JSON.stringify(stored));
    expect(JSON.parse(hit.text)).toMatchObject({ entries: [{ teamSlug: team.slug, cp: 300 }] });
    expect(lastQueries()).toBe(0);
    // A later page or a tier filter is never pre-serialized (it reads the snapshot).
    await lean().rankings.leaderboard({ gameSlug: "dota2", tier: "bronze", limit: 100 });
    expect(await lean().rankings.leaderboard({ gameSlug: "dota2", tier: "bronze", limit: 100 })).not.toBeInstanceOf(
      JsonText,
    );

    await lean(staff.token).rankings.adjust({ teamSlug: team.slug, delta: 300, reason: "second" });
    await rankings.recomputeLeaderboard({ db: api.db, cache }, gameId);
    const fresh = await read();
    expect(fresh).not.toBeInstanceOf(JsonText);
    expect(fresh.entries[0]).toMatchObject({ teamSlug: team.slug, cp: 600 });
    // 101 is refused: the top 100 is the longest page.
    await expect(
      read().then(() => lean().rankings.leaderboard({ gameSlug: "dota2", limit: 101 })),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
