/**
 * What is public, over raw HTTP against the real server: every query of the router (walked, not
 * listed by hand) is sent as an anonymous GET and as an unrelated signed-in user, against a world
 * built through the typed client with private data in it; no answer's keys, at any depth, name a
 * private field. Drafts answer 404; lists come in pages of at most 50 with a cursor; a round robin
 * whose groups would pass 32 entrants is a 400.
 */
import { createClient } from "@deltacrown/client";
import { appRouter, listProcedures } from "@deltacrown/api";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";
import { rawCall } from "./raw-rpc.ts";

installOpenHandleCheck();

type Client = ReturnType<typeof createClient>;
const HOUR = 3_600_000;
const PRIVATE_KEYS = new Set([
  "email",
  "passwordHash",
  "token",
  "secret",
  "fields",
  "payment",
  "reference",
  "note",
  "amountCents",
  "evidence",
  "memo",
]);

/** A member of a team whose roster and feed are members-only, and that member's (pinned) post. */
const HIDDEN_MEMBER = "hidden_member";
const HIDDEN_POST = "members-only plans for the final";

function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, out);
  else if (value !== null && typeof value === "object")
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysOf(inner, out);
    }
  return out;
}

describe("what is public, over HTTP", () => {
  const services = useTestServices();
  let platform: Platform;
  const world = {} as {
    organizer: Client;
    strangerToken: string;
    memberToken: string;
    open: string;
    completed: string;
    draft: string;
    org: string;
    team: string;
    registrationId: number;
    matchId: number;
    code: string;
    uploadId: string;
  };

  async function signUp(username: string): Promise<{ client: Client; token: string }> {
    const auth = await createClient({ url: platform.url }).identity.signUp.mutate({
      username,
      email: `${username}@dc.gg`,
      password: "long-enough-pw",
    });
    return { client: createClient({ url: platform.url, token: auth.token }), token: auth.token };
  }

  const tournament = (name: string, extra: object = {}) => {
    const now = Date.now();
    return {
      name,
      gameSlug: "valorant",
      format: "single_elimination" as const,
      participantType: "team" as const,
      capacity: 8,
      teamSize: 1,
      registrationOpensAt: new Date(now - HOUR),
      registrationClosesAt: new Date(now + HOUR),
      startsAt: new Date(now + 2 * HOUR),
      ...extra,
    };
  };

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
    const organizer = (await signUp("organizer")).client;
    world.organizer = organizer;
    world.strangerToken = (await signUp("stranger")).token;
    // The organizer's upload (a row as POST /uploads leaves it): a stranger must not read it.
    const me = await organizer.identity.me.query();
    world.uploadId = (
      await services.db
        .insertInto("uploads")
        .values({
          owner_id: me.id,
          content_type: "image/png",
          byte_size: 100,
          width: 10,
          height: 10,
          storage_key: `${"ab".repeat(32)}.png`,
          thumb_key: `${"cd".repeat(32)}.webp`,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;

    const open = await organizer.tournaments.create.mutate(
      tournament("Paid Cup", {
        entryFeeCents: 500,
        customFields: [{ key: "note", label: "Note", kind: "text", required: false }],
      }),
    );
    const completed = await organizer.tournaments.create.mutate(tournament("Done Cup"));
    for (const t of [open, completed]) {
      await organizer.tournaments.publish.mutate({ slug: t.slug });
      await organizer.tournaments.openRegistration.mutate({ slug: t.slug });
    }
    const captains: Client[] = [];
    const entries: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { client } = await signUp(`captain${i}`);
      const team = await client.teams.create.mutate({ name: `Captain Five ${i}`, gameSlug: "valorant" });
      const reg = await client.registrations.register.mutate({
        tournamentSlug: open.slug,
        teamSlug: team.slug,
        fields: { note: `private answer ${i}` },
      });
      const paid = await client.registrations.submitPayment.mutate({ registrationId: reg.id, reference: `TX-${i}` });
      await organizer.registrations.reviewPayment.mutate({
        paymentId: paid.payment!.id,
        decision: "verify",
        note: "seen",
      });
      const entry = await client.registrations.register.mutate({ tournamentSlug: completed.slug, teamSlug: team.slug });
      if (i < 2) await organizer.registrations.review.mutate({ registrationId: entry.id, decision: "confirm" });
      captains.push(client);
      entries.push(reg.id);
      world.team = team.slug;
      world.registrationId = reg.id;
    }
    // The last team hides its roster and feed: a member's name and pinned post are private to it.
    const hidden = await signUp(HIDDEN_MEMBER);
    world.memberToken = hidden.token;
    const invite = await captains[2]!.invites.send.mutate({ teamSlug: world.team, username: HIDDEN_MEMBER });
    await hidden.client.invites.accept.mutate({ inviteId: invite.id });
    const post = await hidden.client.posts.create.mutate({ teamSlug: world.team, body: HIDDEN_POST });
    await captains[2]!.posts.pin.mutate({ teamSlug: world.team, postId: post.id });
    await captains[2]!.teamSettings.update.mutate({
      teamSlug: world.team,
      rosterVisibility: "members",
      feedVisibility: "members",
    });
    await captains[0]!.registrations.withdraw.mutate({ registrationId: entries[0]! });
    await organizer.tournaments.closeRegistration.mutate({ slug: completed.slug });
    await organizer.tournaments.start.mutate({ slug: completed.slug });
    const [final] = (await organizer.matches.list.query({ tournamentSlug: completed.slug, state: "ready" })).items;
    world.matchId = final!.id;
    for (const captain of captains.slice(0, 2))
      await captain.matches.report.mutate({ matchId: final!.id, scoreA: 1, scoreB: 0, evidence: "private evidence" });
    await organizer.tournaments.complete.mutate({ slug: completed.slug });
    world.code = (await organizer.tournaments.certificates.query({ slug: completed.slug })).items[0]!.code;
    world.draft = (await organizer.tournaments.create.mutate(tournament("Secret Draft"))).slug;
    world.org = (await organizer.orgs.create.mutate({ name: "Public Org" })).slug;
    await organizer.webhooks.register.mutate({
      organizationSlug: world.org,
      url: "https://hooks.example.test/dc",
      eventTypes: ["registration.created"],
    });
    world.open = open.slug;
    world.completed = completed.slug;
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
  });

  const inputs: Record<string, () => unknown> = {
    "tournaments.standings": () => ({ slug: world.completed }),
    "tournaments.certificates": () => ({ slug: world.completed }),
    "tournaments.dashboard": () => undefined,
    "tournaments.health": () => ({ slug: world.open }),
    "tournaments.bySlug": () => ({ slug: world.open }),
    "tournaments.list": () => ({ limit: 50 }),
    "registrations.list": () => ({ tournamentSlug: world.open, limit: 50 }),
    "registrations.manage": () => ({ tournamentSlug: world.open, limit: 50 }),
    "registrations.byId": () => ({ registrationId: world.registrationId }),
    "matches.list": () => ({ tournamentSlug: world.completed, limit: 50 }),
    "matches.byId": () => ({ matchId: world.matchId }),
    "certificates.verify": () => ({ code: world.code }),
    "identity.me": () => undefined,
    "games.list": () => undefined,
    "games.bySlug": () => ({ slug: "valorant" }),
    "teams.bySlug": () => ({ slug: world.team }),
    "teams.search": () => ({ limit: 50 }),
    "teams.mine": () => undefined,
    "teams.viewer": () => ({ slug: world.team }),
    "invites.mine": () => undefined,
    "orgs.bySlug": () => ({ slug: world.org }),
    "orgs.members": () => ({ slug: world.org, limit: 50 }),
    "orgs.dashboard": () => ({ slug: world.org }),
    "notifications.list": () => undefined,
    "notifications.unreadCount": () => undefined,
    "wallets.balance": () => undefined,
    "wallets.history": () => undefined,
    "webhooks.mine": () => undefined,
    "rankings.leaderboard": () => ({ gameSlug: "valorant", limit: 50 }),
    "rankings.teamRank": () => ({ teamSlug: world.team }),
    "rankings.history": () => ({ teamSlug: world.team, limit: 50 }),
    "uploads.byId": () => ({ uploadId: world.uploadId }),
    "tournaments.viewer": () => ({ slug: world.open }),
    "posts.teamFeed": () => ({ teamSlug: world.team, limit: 50 }),
    "posts.homeFeed": () => undefined,
    "follows.followers": () => ({ teamSlug: world.team, limit: 50 }),
    "follows.mine": () => undefined,
    "sponsors.list": () => ({ teamSlug: world.team, limit: 50 }),
    "promotions.list": () => ({ teamSlug: world.team, limit: 50 }),
    "teamAnalytics.weekly": () => ({ teamSlug: world.team, limit: 50 }),
  };
  const queries = listProcedures(appRouter).filter((p) => p.type === "query");

  it("every query of the router has an input here", () => {
    expect(queries.map((q) => q.path).filter((path) => !(path in inputs))).toEqual([]);
  });

  for (const { path } of queries)
    it(`${path}: no private field for an anonymous or an unrelated caller`, async () => {
      for (const token of [undefined, world.strangerToken]) {
        const { status, body } = await rawCall(platform.url, "query", path, inputs[path]!(), token);
        expect([200, 401, 403, 404], `${path}: ${JSON.stringify(body.error)}`).toContain(status);
        const who = token ? "an unrelated user" : "anonymous";
        const leaked = [...keysOf(body.result?.data)].filter((k) => PRIVATE_KEYS.has(k));
        expect(leaked, `${path} as ${who}`).toEqual([]);
        const text = JSON.stringify(body.result?.data) ?? "";
        expect(text, `${path} as ${who}: a members-only roster`).not.toContain(HIDDEN_MEMBER);
        expect(text, `${path} as ${who}: a members-only post`).not.toContain(HIDDEN_POST);
      }
    });

  it("the team page and feed show the members-only roster and pinned post to a member (so the walk can fail)", async () => {
    // Anonymous first and twice, so the lean path has stored the anonymous page's text.
    for (let i = 0; i < 2; i++) await rawCall(platform.url, "query", "teams.bySlug", { slug: world.team });
    const page = await rawCall(platform.url, "query", "teams.bySlug", { slug: world.team }, world.memberToken);
    const data = page.body.result?.data as { roster: { username: string }[]; pinnedPost: { body: string } | null };
    expect(data.roster.map((m) => m.username)).toContain(HIDDEN_MEMBER);
    expect(data.pinnedPost?.body).toBe(HIDDEN_POST);
    const anonymous = await rawCall(platform.url, "query", "teams.bySlug", { slug: world.team });
    expect(anonymous.body.result?.data).toMatchObject({ roster: [], pinnedPost: null });
    const feed = await rawCall(
      platform.url,
      "query",
      "posts.teamFeed",
      { teamSlug: world.team, limit: 50 },
      world.memberToken,
    );
    expect(JSON.stringify(feed.body.result?.data)).toContain(HIDDEN_POST);
  });

  it("the organizer's own view carries those fields (so the walk can fail)", async () => {
    const managed = await world.organizer.registrations.manage.query({ tournamentSlug: world.open, limit: 50 });
    expect([...keysOf(managed)]).toEqual(expect.arrayContaining(["fields", "payment", "reference", "note"]));
    const match = await world.organizer.matches.byId.query({ matchId: world.matchId });
    expect(match.reports.map((r) => r.evidence)).toContain("private evidence");
  });

  it("the public entry list shows live entries only, with team and status", async () => {
    const { body } = await rawCall(platform.url, "query", "registrations.list", {
      tournamentSlug: world.open,
      limit: 50,
    });
    const items = (body.result?.data as { items: { status: string }[] }).items;
    expect(items.map((r) => r.status)).toEqual(["pending", "pending"]);
    expect(Object.keys(items[0]!).sort()).toEqual(["id", "player", "seed", "status", "team"]);
  });

  it("a draft answers 404 to anonymous and unrelated callers, and shows to its organizer", async () => {
    for (const token of [undefined, world.strangerToken])
      for (const [path, input] of [
        ["tournaments.bySlug", { slug: world.draft }],
        ["tournaments.standings", { slug: world.draft }],
        ["tournaments.certificates", { slug: world.draft }],
        ["matches.list", { tournamentSlug: world.draft }],
        ["registrations.list", { tournamentSlug: world.draft }],
      ] as const)
        expect((await rawCall(platform.url, "query", path, input, token)).status, path).toBe(404);
    expect((await world.organizer.tournaments.bySlug.query({ slug: world.draft })).status).toBe("draft");
  });

  it("lists come a page at a time (at most 50, with a cursor)", async () => {
    const over = await rawCall(platform.url, "query", "matches.list", { tournamentSlug: world.completed, limit: 51 });
    expect(over.status).toBe(400);
    const anonymous = createClient({ url: platform.url });
    const first = await anonymous.registrations.list.query({ tournamentSlug: world.open, limit: 1 });
    expect(first.items).toHaveLength(1);
    const second = await anonymous.registrations.list.query({
      tournamentSlug: world.open,
      limit: 1,
      cursor: first.nextCursor!,
    });
    expect(second.items[0]!.id).toBeGreaterThan(first.items[0]!.id);
    expect(second.nextCursor).toBeNull();
    const matches = await anonymous.matches.list.query({ tournamentSlug: world.completed });
    expect(matches).toMatchObject({ items: [{ id: world.matchId, state: "completed" }], nextCursor: null });
    const standings = await anonymous.tournaments.standings.query({ slug: world.completed, limit: 1 });
    expect(standings.items).toHaveLength(1);
    const rest = await anonymous.tournaments.standings.query({
      slug: world.completed,
      cursor: standings.nextCursor!,
      limit: 50,
    });
    expect([...standings.items, ...rest.items].map((s) => s.placement)).toEqual([1, 2]);
    expect(rest.nextCursor).toBeNull();
    const mine = await world.organizer.teams.mine.query({ limit: 1 });
    expect(mine.items).toEqual([]);
  });

  it("a round robin whose groups would pass 32 entrants is a 400 naming settings.groupCount", async () => {
    const refused = await rawCall(
      platform.url,
      "mutation",
      "tournaments.create",
      tournament("Huge Group", { format: "round_robin", capacity: 1024, settings: { groupCount: 1 } }),
      world.strangerToken,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error?.data.reason).toBe("GROUP_TOO_LARGE");
    expect(Object.keys(refused.body.error?.data.fieldErrors ?? {})).toContain("settings.groupCount");
  });
});
