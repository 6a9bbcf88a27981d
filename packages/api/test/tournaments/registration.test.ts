import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { uniq } from "../budgets/scenario.ts";
import { useApi } from "../support.ts";
import { draftInput, openTournament, teamOwner } from "./fixtures.ts";

async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, "the call should have been refused").toBeInstanceOf(TRPCError);
  const t = e as TRPCError;
  const cause = t.cause as { reason?: string; field?: string; message?: string } | undefined;
  return { code: t.code, reason: cause?.reason, field: cause?.field, message: t.message };
}

describe("registration", () => {
  const api = useApi();
  const liveCount = async (tournamentId: number) =>
    Number(
      (
        await api.db
          .selectFrom("registrations")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("tournament_id", "=", tournamentId)
          .where("status", "in", ["pending", "confirmed", "waitlisted"])
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("validates custom fields against the tournament's definition, with field-level errors", async () => {
    const { tournament } = await openTournament(api, {
      customFields: [
        { key: "riot_id", label: "Riot ID", kind: "in_game_id", required: true },
        { key: "age", label: "Age", kind: "number", required: false },
        { key: "region", label: "Region", kind: "select", required: true, options: ["eu", "na"] },
        { key: "rules_ok", label: "Accept rules", kind: "checkbox", required: true },
        { key: "notes", label: "Notes", kind: "text", required: false },
      ],
    });
    const cap = await teamOwner(api);
    const reg = (fields: Record<string, string | number | boolean>) =>
      cap.caller.registrations.register({ tournamentSlug: tournament.slug, teamSlug: cap.team.slug, fields });
    const good = { riot_id: "Crown#EUW", region: "eu", rules_ok: true };
    expect(await failure(reg({ region: "eu", rules_ok: true }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "INVALID_FIELDS",
      field: "fields.riot_id",
    });
    // Every wrong field carries its own message (a form shows each at its field).
    const both = await reg({ region: "asia", rules_ok: true }).then(
      () => undefined,
      (e: unknown) => e as TRPCError,
    );
    expect((both?.cause as { fieldErrors?: unknown } | undefined)?.fieldErrors).toEqual({
      "fields.riot_id": "Riot ID is required",
      "fields.region": "Choose one of: eu, na",
    });
    expect(await failure(reg({ ...good, region: "asia" }))).toMatchObject({ field: "fields.region" });
    expect(await failure(reg({ ...good, rules_ok: false }))).toMatchObject({ field: "fields.rules_ok" });
    expect(await failure(reg({ ...good, age: "old" }))).toMatchObject({ field: "fields.age" });
    expect(await failure(reg({ ...good, riot_id: "!" }))).toMatchObject({ field: "fields.riot_id" });
    expect(await failure(reg({ ...good, surprise: "x" }))).toMatchObject({ field: "fields.surprise" });
    expect(await liveCount(tournament.id)).toBe(0);
    const ok = await reg({ ...good, age: 19, notes: "  hi " });
    expect(ok).toMatchObject({
      status: "pending",
      team: { slug: cap.team.slug },
      fields: { ...good, age: 19, notes: "hi" },
    });
  });

  it("enforces who may register, the game, the roster size and the window", async () => {
    const { organizer, tournament } = await openTournament(api, { teamSize: 2 });
    const cap = await teamOwner(api);
    const player = await api.user(uniq("pl"));
    await api.addMember(cap, cap.team.slug, player, "player");
    const args = { tournamentSlug: tournament.slug, teamSlug: cap.team.slug, fields: {} };
    expect(await failure(player.caller.registrations.register(args))).toMatchObject({ code: "FORBIDDEN" });
    const other = await teamOwner(api, "cs2");
    expect(await failure(other.caller.registrations.register({ ...args, teamSlug: other.team.slug }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "WRONG_GAME",
    });
    const lonely = await teamOwner(api);
    expect(await failure(lonely.caller.registrations.register({ ...args, teamSlug: lonely.team.slug }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "ROSTER_TOO_SMALL",
    });
    expect(await failure(cap.caller.registrations.register({ ...args, teamSlug: undefined }))).toMatchObject({
      code: "BAD_REQUEST",
      reason: "TEAM_REQUIRED",
    });
    // A captain may register (role read live).
    const captain = await api.user(uniq("cpt"));
    await api.addMember(cap, cap.team.slug, captain, "captain");
    expect((await captain.caller.registrations.register(args)).status).toBe("pending");
    await organizer.caller.tournaments.closeRegistration({ slug: tournament.slug });
    const late = await teamOwner(api);
    await api.addMember(late, late.team.slug, await api.user(uniq("p2")));
    expect(await failure(late.caller.registrations.register({ ...args, teamSlug: late.team.slug }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "REGISTRATION_CLOSED",
    });
  });

  it("never creates two entries for one team: a resubmission returns the existing entry", async () => {
    const { tournament } = await openTournament(api);
    const cap = await teamOwner(api);
    const args = { tournamentSlug: tournament.slug, teamSlug: cap.team.slug, fields: {} };
    const first = await cap.caller.registrations.register(args);
    const again = await cap.caller.registrations.register(args);
    expect(again.id).toBe(first.id);
    // Even fired concurrently, the unique index keeps it to one.
    const burst = await Promise.all([1, 2, 3].map(() => cap.caller.registrations.register(args)));
    expect(new Set(burst.map((r) => r.id))).toEqual(new Set([first.id]));
    expect(await liveCount(tournament.id)).toBe(1);
    const t = await api.caller().tournaments.bySlug({ slug: tournament.slug });
    expect(t.entriesCount).toBe(1);
    // After withdrawing, the team may enter again (a new entry).
    await cap.caller.registrations.withdraw({ registrationId: first.id });
    const back = await cap.caller.registrations.register(args);
    expect(back.id).not.toBe(first.id);
  });

  it("concurrent registrations racing for the last place: exactly one wins, the rest are waitlisted", async () => {
    const { tournament } = await openTournament(api, { capacity: 2 });
    const early = await teamOwner(api);
    await early.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: early.team.slug,
      fields: {},
    });
    const racers = [];
    for (let i = 0; i < 4; i++) racers.push(await teamOwner(api));
    const results = await Promise.all(
      racers.map((r) =>
        r.caller.registrations.register({ tournamentSlug: tournament.slug, teamSlug: r.team.slug, fields: {} }),
      ),
    );
    expect(results.filter((r) => r.status === "pending")).toHaveLength(1);
    const waitlisted = results.filter((r) => r.status === "waitlisted");
    expect(waitlisted).toHaveLength(3);
    expect(new Set(waitlisted.map((r) => r.waitlistPosition)).size).toBe(3);
    expect((await api.caller().tournaments.bySlug({ slug: tournament.slug })).entriesCount).toBe(2);
  });

  it("a withdrawal promotes the head of the waitlist; the organizer can reorder, confirm and reject", async () => {
    const { organizer, tournament } = await openTournament(api, { capacity: 2 });
    const filler = await teamOwner(api); // holds the other place throughout
    const fill = await filler.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: filler.team.slug,
      fields: {},
    });
    const caps = [];
    for (let i = 0; i < 4; i++) caps.push(await teamOwner(api));
    const regs: Awaited<ReturnType<(typeof caps)[0]["caller"]["registrations"]["register"]>>[] = [];
    for (const c of caps)
      regs.push(
        await c.caller.registrations.register({ tournamentSlug: tournament.slug, teamSlug: c.team.slug, fields: {} }),
      );
    expect(regs.map((r) => r.status)).toEqual(["pending", "waitlisted", "waitlisted", "waitlisted"]);
    // Move the last one to the front of the waitlist.
    const moved = await organizer.caller.registrations.reorderWaitlist({ registrationId: regs[3]!.id, position: 1 });
    expect(moved.waitlistPosition).toBe(1);
    expect(
      await failure(caps[1]!.caller.registrations.reorderWaitlist({ registrationId: regs[2]!.id, position: 1 })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await failure(caps[1]!.caller.registrations.withdraw({ registrationId: regs[0]!.id }))).toMatchObject({
      code: "FORBIDDEN",
    });
    await caps[0]!.caller.registrations.withdraw({ registrationId: regs[0]!.id });
    const list = await api.caller().registrations.list({ tournamentSlug: tournament.slug, limit: 10 });
    expect(list.items.find((r) => r.id === regs[3]!.id)?.status).toBe("pending");
    expect(list.items.map((r) => r.id)).not.toContain(regs[0]!.id);
    expect(await failure(caps[0]!.caller.registrations.withdraw({ registrationId: regs[0]!.id }))).toMatchObject({
      reason: "NOT_LIVE",
    });
    // Confirm the promoted entry (free tournament); reject it afterwards frees the place for the next.
    expect(
      await failure(caps[3]!.caller.registrations.review({ registrationId: regs[3]!.id, decision: "confirm" })),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    const confirmed = await organizer.caller.registrations.review({ registrationId: regs[3]!.id, decision: "confirm" });
    expect(confirmed.status).toBe("confirmed");
    await organizer.caller.registrations.review({ registrationId: regs[3]!.id, decision: "reject" });
    const after = await api.caller().registrations.list({ tournamentSlug: tournament.slug, limit: 10 });
    expect(after.items.map((r) => [r.id, r.status])).toEqual([
      [fill.id, "pending"],
      [regs[1]!.id, "pending"],
      [regs[2]!.id, "waitlisted"],
    ]);
    expect((await api.caller().tournaments.bySlug({ slug: tournament.slug })).entriesCount).toBe(2);
  });

  it("solo tournaments take players alone, once each", async () => {
    const org = await api.user(uniq("org"));
    const t = await org.caller.tournaments.create(draftInput({ participantType: "solo", teamSize: 1 }));
    await org.caller.tournaments.publish({ slug: t.slug });
    await org.caller.tournaments.openRegistration({ slug: t.slug });
    const p = await api.user(uniq("solo"));
    const r = await p.caller.registrations.register({ tournamentSlug: t.slug, fields: {} });
    expect(r).toMatchObject({ status: "pending", team: null, user: { id: p.user.id } });
    expect((await p.caller.registrations.register({ tournamentSlug: t.slug, fields: {} })).id).toBe(r.id);
    const cap = await teamOwner(api);
    expect(
      await failure(cap.caller.registrations.register({ tournamentSlug: t.slug, teamSlug: cap.team.slug, fields: {} })),
    ).toMatchObject({ reason: "SOLO_ONLY" });
  });

  it("paid entries: submit a reference, the organizer verifies or rejects with a note; only verified ones confirm", async () => {
    const { organizer, tournament } = await openTournament(api, { entryFeeCents: 2500 });
    const cap = await teamOwner(api);
    const reg = await cap.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: cap.team.slug,
      fields: {},
    });
    expect(reg.payment).toBeNull();
    expect(
      await failure(organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" })),
    ).toMatchObject({
      reason: "PAYMENT_NOT_VERIFIED",
    });
    const stranger = await api.user(uniq("str"));
    expect(
      await failure(stranger.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-1" })),
    ).toMatchObject({ code: "FORBIDDEN" });
    const submitted = await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-1" });
    expect(submitted.payment).toMatchObject({ status: "submitted", reference: "TX-1", amountCents: 2500 });
    expect(
      await failure(cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-2" })),
    ).toMatchObject({ code: "CONFLICT", reason: "PAYMENT_PENDING" });
    expect(
      await failure(cap.caller.registrations.reviewPayment({ paymentId: submitted.payment!.id, decision: "verify" })),
    ).toMatchObject({ code: "FORBIDDEN" });
    const rejected = await organizer.caller.registrations.reviewPayment({
      paymentId: submitted.payment!.id,
      decision: "reject",
      note: "no such transfer",
    });
    expect(rejected.payment).toMatchObject({ status: "rejected", note: "no such transfer" });
    expect(
      await failure(organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" })),
    ).toMatchObject({
      reason: "PAYMENT_NOT_VERIFIED",
    });
    const again = await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-3" });
    await organizer.caller.registrations.reviewPayment({ paymentId: again.payment!.id, decision: "verify" });
    expect(
      await failure(organizer.caller.registrations.reviewPayment({ paymentId: again.payment!.id, decision: "reject" })),
    ).toMatchObject({ reason: "PAYMENT_REVIEWED" });
    expect((await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" })).status).toBe(
      "confirmed",
    );
    // Free tournaments take no payment.
    const free = await openTournament(api);
    const c2 = await teamOwner(api);
    const r2 = await c2.caller.registrations.register({
      tournamentSlug: free.tournament.slug,
      teamSlug: c2.team.slug,
      fields: {},
    });
    expect(
      await failure(c2.caller.registrations.submitPayment({ registrationId: r2.id, reference: "TX-9" })),
    ).toMatchObject({
      reason: "NO_ENTRY_FEE",
    });
  });

  it("check-in: only confirmed entries, only inside the window", async () => {
    const now = Date.now();
    const { organizer, tournament } = await openTournament(api, {
      checkinOpensAt: new Date(now - 60_000),
      checkinClosesAt: new Date(now + 3_600_000),
    });
    const cap = await teamOwner(api);
    const reg = await cap.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: cap.team.slug,
      fields: {},
    });
    expect(await failure(cap.caller.registrations.checkIn({ registrationId: reg.id }))).toMatchObject({
      reason: "NOT_CONFIRMED",
    });
    await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" });
    expect((await cap.caller.registrations.checkIn({ registrationId: reg.id })).checkedInAt).not.toBeNull();
    const late = await openTournament(api, {
      checkinOpensAt: new Date(now + 3_600_000),
      checkinClosesAt: new Date(now + 7_200_000),
    });
    const c2 = await teamOwner(api);
    const r2 = await c2.caller.registrations.register({
      tournamentSlug: late.tournament.slug,
      teamSlug: c2.team.slug,
      fields: {},
    });
    await late.organizer.caller.registrations.review({ registrationId: r2.id, decision: "confirm" });
    expect(await failure(c2.caller.registrations.checkIn({ registrationId: r2.id }))).toMatchObject({
      reason: "CHECKIN_CLOSED",
    });
  });
});
