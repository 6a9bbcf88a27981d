/**
 * Exposure: each output shows only what its caller may see. The router is walked: every query is
 * called, as an anonymous caller and as a signed-in user unrelated to the data, against a world
 * full of private data (custom-form answers, payment references and organizer notes, report
 * evidence, a webhook secret, e-mails, wallet memos). The output's KEYS — at any depth — must hold
 * no private field. Drafts are NOT_FOUND to both; the public entry list shows live entries only.
 */
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, listProcedures } from "../src/index.ts";
import { allMatches, draftInput, openTournament, registeredTeam, startedTournament } from "./tournaments/fixtures.ts";
import { storedUpload } from "./budgets/uploads.scenarios.ts";
import { useApi, type Caller } from "./support.ts";

const api = useApi();

/** Keys that hold data only its owner, the registrant or the organizers may see. */
const PRIVATE_KEYS = new Set([
  "email",
  "passwordHash",
  "password_hash",
  "token",
  "tokenHash",
  "token_hash",
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

/** Every key of a value, at any depth (array items included). */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, out);
  else if (value !== null && typeof value === "object")
    for (const [key, inner] of Object.entries(value)) {
      out.add(key);
      keysOf(inner, out);
    }
  return out;
}

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

interface World {
  organizer: { caller: Caller; user: { username: string } };
  /** The organizer of the completed tournament (its match, its certificates). */
  matchOrganizer: { caller: Caller };
  captain: { caller: Caller };
  open: { slug: string };
  completed: { slug: string };
  draft: { slug: string };
  orgSlug: string;
  teamSlug: string;
  registrationId: number;
  matchId: number;
  certificateCode: string;
  /** The organizer's upload (a stored image's row; the bytes are apps/server's business). */
  uploadId: string;
}

let world: World;

beforeAll(async () => {
  // An open, paid tournament with a custom form: answers, payment references, organizer notes.
  const { organizer, tournament: open } = await openTournament(api, {
    entryFeeCents: 500,
    customFields: [{ key: "note", label: "Note", kind: "text", required: false }],
  });
  const entries = [];
  for (let i = 0; i < 4; i++) {
    const { cap, reg } = await registeredTeam(api, open.slug);
    await api.db
      .updateTable("registrations")
      .set({ fields: JSON.stringify({ note: `secret answer ${i}` }) })
      .where("id", "=", reg.id)
      .execute();
    const paid = await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: `TX-SECRET-${i}` });
    await organizer.caller.registrations.reviewPayment({
      paymentId: paid.payment!.id,
      decision: "verify",
      note: "organizer note",
    });
    entries.push({ cap, reg });
  }
  await entries[0]!.cap.caller.registrations.withdraw({ registrationId: entries[0]!.reg.id });
  await organizer.caller.registrations.review({ registrationId: entries[1]!.reg.id, decision: "reject" });

  // A started tournament with a disputed report and its evidence, then completed with certificates.
  const started = await startedTournament(api, 2);
  const [m] = await allMatches(api, started.tournament.slug, "ready");
  await started
    .captainOf(m!.sideA!.registrationId)
    .caller.matches.report({ matchId: m!.id, scoreA: 1, scoreB: 0, evidence: "secret evidence" });
  await started.organizer.caller.matches.resolve({ matchId: m!.id, scoreA: 1, scoreB: 0 });
  await started.organizer.caller.tournaments.complete({ slug: started.tournament.slug });
  const [certificate] = (await started.organizer.caller.tournaments.certificates({ slug: started.tournament.slug }))
    .items;

  const draft = await organizer.caller.tournaments.create(draftInput());

  // An organization with a webhook (its secret), and a team.
  const orgSlug = `exposed-org-${Date.now().toString(36)}`;
  const org = await organizer.caller.orgs.create({ name: "Exposed Org", slug: orgSlug });
  await organizer.caller.webhooks.register({
    organizationSlug: org.slug,
    url: "https://hooks.example.test/dc",
    eventTypes: ["registration.created"],
  });
  const upload = await storedUpload(api, organizer.user.id);
  // The team hides its roster and feed: a member's name and post are the team's private data.
  const teamSlug = entries[2]!.cap.team.slug;
  const hidden = await api.user(HIDDEN_MEMBER);
  await api.addMember(entries[2]!.cap, teamSlug, hidden);
  const post = await hidden.caller.posts.create({ teamSlug, body: HIDDEN_POST });
  await entries[2]!.cap.caller.posts.pin({ teamSlug, postId: post.id });
  await entries[2]!.cap.caller.promotions.create({
    teamSlug,
    startsAt: new Date(Date.now() - 3_600_000),
    endsAt: new Date(Date.now() + 3_600_000),
  });
  await entries[2]!.cap.caller.teamSettings.update({
    teamSlug,
    rosterVisibility: "members",
    feedVisibility: "members",
  });
  world = {
    uploadId: upload.id,
    organizer,
    matchOrganizer: started.organizer,
    captain: entries[2]!.cap,
    open,
    completed: started.tournament,
    draft,
    orgSlug: org.slug,
    teamSlug: entries[2]!.cap.team.slug,
    registrationId: entries[2]!.reg.id,
    matchId: m!.id,
    certificateCode: certificate!.code,
  };
}, 120_000);

/** Each query's input, aimed at the world's private data (a new query needs an entry here). */
const INPUTS: Record<string, (w: World) => unknown> = {
  "tournaments.standings": (w) => ({ slug: w.completed.slug }),
  "tournaments.certificates": (w) => ({ slug: w.completed.slug }),
  "tournaments.dashboard": () => undefined,
  "tournaments.health": (w) => ({ slug: w.open.slug }),
  "tournaments.bySlug": (w) => ({ slug: w.open.slug }),
  "tournaments.viewer": (w) => ({ slug: w.open.slug }),
  "tournaments.list": () => ({ limit: 50 }),
  "registrations.list": (w) => ({ tournamentSlug: w.open.slug, limit: 50 }),
  "registrations.manage": (w) => ({ tournamentSlug: w.open.slug, limit: 50 }),
  "registrations.byId": (w) => ({ registrationId: w.registrationId }),
  "matches.list": (w) => ({ tournamentSlug: w.completed.slug, limit: 50 }),
  "matches.byId": (w) => ({ matchId: w.matchId }),
  "certificates.verify": (w) => ({ code: w.certificateCode }),
  "identity.me": () => undefined,
  "games.list": () => undefined,
  "games.bySlug": () => ({ slug: "valorant" }),
  "teams.bySlug": (w) => ({ slug: w.teamSlug }),
  "teams.search": () => ({ limit: 50 }),
  "teams.mine": () => undefined,
  "teams.viewer": (w) => ({ slug: w.teamSlug }),
  "invites.mine": () => undefined,
  "orgs.bySlug": (w) => ({ slug: w.orgSlug }),
  "orgs.members": (w) => ({ slug: w.orgSlug, limit: 50 }),
  "orgs.dashboard": (w) => ({ slug: w.orgSlug }),
  "notifications.list": () => undefined,
  "notifications.unreadCount": () => undefined,
  "wallets.balance": () => undefined,
  "wallets.history": () => undefined,
  "webhooks.mine": () => undefined,
  "rankings.leaderboard": () => ({ gameSlug: "valorant", limit: 50 }),
  "rankings.teamRank": (w) => ({ teamSlug: w.teamSlug }),
  "rankings.history": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "posts.teamFeed": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "posts.homeFeed": () => undefined,
  "follows.followers": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "follows.mine": () => undefined,
  "sponsors.list": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "promotions.list": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "teamAnalytics.weekly": (w) => ({ teamSlug: w.teamSlug, limit: 50 }),
  "uploads.byId": (w) => ({ uploadId: w.uploadId }),
};

const queries = listProcedures(appRouter).filter((p) => p.type === "query");
/** What a refused call may answer: never a 500. */
const REFUSALS = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];

describe("no query shows a private field to an anonymous or an unrelated caller", () => {
  it("every query of the router has an input here", () => {
    expect(queries.map((q) => q.path).filter((path) => !(path in INPUTS))).toEqual([]);
  });

  for (const { path } of queries) {
    it(path, async () => {
      const stranger = await api.user(`stranger_${path.replace(".", "_").toLowerCase()}`.slice(0, 32));
      const input = INPUTS[path]?.(world);
      for (const [who, caller] of [
        ["anonymous", api.caller()],
        ["an unrelated user", stranger.caller],
      ] as const) {
        const answer = await call(caller, path, input).then(
          (output) => ({ output }),
          (error: unknown) => ({ error }),
        );
        if ("error" in answer) {
          expect(answer.error, `${path} as ${who}`).toBeInstanceOf(TRPCError);
          expect(REFUSALS, `${path} as ${who}: ${String(answer.error)}`).toContain((answer.error as TRPCError).code);
          continue;
        }
        const leaked = [...keysOf(answer.output)].filter((k) => PRIVATE_KEYS.has(k));
        expect(leaked, `${path} as ${who} shows private fields`).toEqual([]);
        const text = JSON.stringify(answer.output) ?? "";
        expect(text, `${path} as ${who} shows a members-only roster`).not.toContain(HIDDEN_MEMBER);
        expect(text, `${path} as ${who} shows a members-only post`).not.toContain(HIDDEN_POST);
      }
    });
  }

  it("the team's members do see its members-only roster and pinned post (so the check above can fail)", async () => {
    const page = await world.captain.caller.teams.bySlug({ slug: world.teamSlug });
    expect(page.roster.map((m) => m.username)).toContain(HIDDEN_MEMBER);
    expect(page.pinnedPost?.body).toBe(HIDDEN_POST);
    const feed = await world.captain.caller.posts.teamFeed({ teamSlug: world.teamSlug, limit: 50 });
    expect(feed.items.map((p) => p.body)).toContain(HIDDEN_POST);
  });

  it("the privileged views do carry those fields (so the check above can fail)", async () => {
    const managed = await world.organizer.caller.registrations.manage({ tournamentSlug: world.open.slug, limit: 50 });
    expect([...keysOf(managed)]).toEqual(expect.arrayContaining(["fields", "payment", "reference", "note"]));
    const own = await world.captain.caller.registrations.byId({ registrationId: world.registrationId });
    expect(own.fields).toEqual({ note: "secret answer 2" });
    expect(own.payment).toMatchObject({ reference: "TX-SECRET-2", note: "organizer note" });
    const match = await world.matchOrganizer.caller.matches.byId({ matchId: world.matchId });
    expect(match.reports.map((r) => r.evidence)).toEqual(["secret evidence"]);
  });
});

describe("registrations: public shape for everyone, the full entry for its registrant and organizers", () => {
  it("the public list shows live entries only — never rejected or withdrawn — with team and status", async () => {
    const page = await api.caller().registrations.list({ tournamentSlug: world.open.slug, limit: 50 });
    expect(page.items).toHaveLength(2);
    for (const entry of page.items) {
      expect(["pending", "confirmed", "waitlisted"]).toContain(entry.status);
      expect(Object.keys(entry).sort()).toEqual(["id", "player", "seed", "status", "team"]);
    }
    const all = await world.organizer.caller.registrations.manage({ tournamentSlug: world.open.slug, limit: 50 });
    expect(all.items.map((r) => r.status).sort()).toEqual(["pending", "pending", "rejected", "withdrawn"]);
  });

  it("tournaments.viewer gives the registrant their own entry in full, and others none", async () => {
    const own = await world.captain.caller.tournaments.viewer({ slug: world.open.slug });
    expect(own.canManage).toBe(false);
    expect(own.entries.map((e) => e.id)).toContain(world.registrationId);
    const stranger = await api.user("viewer_stranger");
    expect(await stranger.caller.tournaments.viewer({ slug: world.open.slug })).toEqual({
      canManage: false,
      entries: [],
    });
    expect((await world.organizer.caller.tournaments.viewer({ slug: world.open.slug })).canManage).toBe(true);
  });

  it("an unrelated user may not read an entry or the organizers' list", async () => {
    const stranger = await api.user("reg_stranger");
    await api.refused(() => stranger.caller.registrations.byId({ registrationId: world.registrationId }), {
      code: "FORBIDDEN",
    });
    await api.refused(() => stranger.caller.registrations.manage({ tournamentSlug: world.open.slug, limit: 10 }), {
      code: "FORBIDDEN",
    });
    await api.refused(() => stranger.caller.matches.byId({ matchId: world.matchId }), { code: "FORBIDDEN" });
  });
});

describe("a draft exists only for those who run it", () => {
  const reads = (slug: string) =>
    [
      ["tournaments.bySlug", { slug }],
      ["tournaments.standings", { slug }],
      ["tournaments.certificates", { slug }],
      ["tournaments.health", { slug }],
      ["tournaments.viewer", { slug }],
      ["matches.list", { tournamentSlug: slug }],
      ["registrations.list", { tournamentSlug: slug }],
      ["registrations.manage", { tournamentSlug: slug }],
      ["live.tournament", { tournamentSlug: slug }],
      ["registrations.register", { tournamentSlug: slug, fields: {} }],
      ["tournaments.publish", { slug }],
    ] as const;

  it("is NOT_FOUND to anonymous and unrelated callers, everywhere it can be named", async () => {
    const stranger = await api.user("draft_stranger");
    for (const [path, input] of reads(world.draft.slug)) {
      for (const caller of [api.caller(), stranger.caller]) {
        const error = await call(caller, path, input).then(
          () => undefined,
          (e: unknown) => e as TRPCError,
        );
        // Procedures that need a session refuse the anonymous caller first.
        const expected =
          caller === stranger.caller || !path.match(/health|viewer|manage|register|publish/)
            ? "NOT_FOUND"
            : "UNAUTHORIZED";
        expect(error?.code, `${path}`).toBe(expected);
      }
    }
    const listed = await api.caller().tournaments.list({ limit: 50 });
    expect(listed.items.map((t) => t.slug)).not.toContain(world.draft.slug);
  });

  it("is visible to its organizer and to staff", async () => {
    expect((await world.organizer.caller.tournaments.bySlug({ slug: world.draft.slug })).status).toBe("draft");
    const staff = await api.user("draft_staff");
    await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
    expect((await staff.caller.tournaments.bySlug({ slug: world.draft.slug })).status).toBe("draft");
    expect((await staff.caller.tournaments.standings({ slug: world.draft.slug })).items).toEqual([]);
  });
});
