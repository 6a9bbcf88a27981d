import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { uniq } from "../budgets/scenario.ts";
import { useApi } from "../support.ts";
import { draftInput, openTournament } from "./fixtures.ts";

async function codeOf(p: Promise<unknown>): Promise<{ code: string; reason?: string | undefined }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return { code: e.code, reason: (e.cause as { reason?: string } | undefined)?.reason };
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("tournament lifecycle", () => {
  const api = useApi();

  it("creates a draft with custom fields and sponsors, edits it, and shows it by slug", async () => {
    const org = await api.user(uniq("org"));
    const t = await org.caller.tournaments.create(
      draftInput({
        format: "double_elimination",
        tier: "major",
        entryFeeCents: 500,
        prizeDescription: "$1000",
        customFields: [
          { key: "riot_id", label: "Riot ID", kind: "in_game_id", required: true },
          { key: "region", label: "Region", kind: "select", required: false, options: ["eu", "na"] },
        ],
        sponsors: [{ name: "Acme", url: "https://acme.test" }],
      }),
    );
    expect(t).toMatchObject({ status: "draft", format: "double_elimination", tier: "major", entryFeeCents: 500 });
    expect(t.customFields.map((f) => f.key)).toEqual(["riot_id", "region"]);
    expect(t.sponsors).toEqual([{ name: "Acme", url: "https://acme.test", logoUrl: null }]);
    expect(t.organizer.username).toBe(org.user.username);

    const edited = await org.caller.tournaments.update({
      ...draftInput({ name: "Edited Cup", capacity: 16 }),
      slug: t.slug,
      sponsors: [],
    });
    expect(edited).toMatchObject({ name: "Edited Cup", capacity: 16, slug: t.slug });
    expect(edited.sponsors).toEqual([]);
    expect(edited.customFields).toHaveLength(2); // not given: kept
    expect((await org.caller.tournaments.bySlug({ slug: t.slug })).name).toBe("Edited Cup");
    // A draft exists only for those who run it.
    expect(await codeOf(api.caller().tournaments.bySlug({ slug: t.slug }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("walks draft → published → open → closed → cancelled, and refuses every illegal step with a reason", async () => {
    const org = await api.user(uniq("org"));
    const { slug } = await org.caller.tournaments.create(draftInput());
    const c = org.caller.tournaments;
    // From draft only publish and cancel are legal.
    for (const step of [c.openRegistration, c.closeRegistration] as const)
      expect(await codeOf(step({ slug }))).toEqual({ code: "PRECONDITION_FAILED", reason: "ILLEGAL_TRANSITION" });
    expect((await c.publish({ slug })).status).toBe("published");
    expect(await codeOf(c.publish({ slug }))).toEqual({ code: "PRECONDITION_FAILED", reason: "ILLEGAL_TRANSITION" });
    expect(await codeOf(c.closeRegistration({ slug }))).toMatchObject({ reason: "ILLEGAL_TRANSITION" });
    expect(await codeOf(c.update({ ...draftInput(), slug }))).toEqual({
      code: "PRECONDITION_FAILED",
      reason: "NOT_DRAFT",
    });
    expect((await c.openRegistration({ slug })).status).toBe("registration_open");
    expect(await codeOf(c.remove({ slug }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      reason: "ILLEGAL_TRANSITION",
    });
    for (const step of [c.start, c.complete] as const)
      expect(await codeOf(step({ slug }))).toEqual({ code: "PRECONDITION_FAILED", reason: "ILLEGAL_TRANSITION" });
    expect((await c.closeRegistration({ slug })).status).toBe("registration_closed");
    expect(await codeOf(c.complete({ slug }))).toMatchObject({ reason: "ILLEGAL_TRANSITION" });
    // Starting needs two confirmed entries; the refusal leaves the tournament as it was.
    expect(await codeOf(c.start({ slug }))).toEqual({ code: "PRECONDITION_FAILED", reason: "TOO_FEW_ENTRIES" });
    expect((await api.caller().tournaments.bySlug({ slug })).status).toBe("registration_closed");
    expect((await c.openRegistration({ slug })).status).toBe("registration_open"); // reopening is allowed
    expect((await c.cancel({ slug })).status).toBe("cancelled");
    for (const step of [c.publish, c.openRegistration, c.closeRegistration, c.cancel] as const)
      expect(await codeOf(step({ slug }))).toEqual({ code: "PRECONDITION_FAILED", reason: "ILLEGAL_TRANSITION" });
    await c.remove({ slug });
    expect(await codeOf(api.caller().tournaments.bySlug({ slug }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await codeOf(c.publish({ slug }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets only the organizer (or staff, or the organization's owner/admin) change a tournament", async () => {
    const org = await api.user(uniq("org"));
    const stranger = await api.user(uniq("str"));
    const { slug } = await org.caller.tournaments.create(draftInput());
    // A draft is NOT_FOUND to anyone who may not run it; once published, changing it is FORBIDDEN.
    expect(await codeOf(stranger.caller.tournaments.publish({ slug }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await codeOf(stranger.caller.tournaments.update({ ...draftInput(), slug }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await codeOf(api.caller().tournaments.publish({ slug }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await org.caller.tournaments.bySlug({ slug })).status).toBe("draft");
    await org.caller.tournaments.publish({ slug });
    expect(await codeOf(stranger.caller.tournaments.cancel({ slug }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await api.caller().tournaments.bySlug({ slug })).status).toBe("published");

    // An organization's tournament: its admin may run it, a plain member may not.
    const owner = await api.user(uniq("own"));
    const admin = await api.user(uniq("adm"));
    const member = await api.user(uniq("mem"));
    const orgSlug = uniq("org-").toLowerCase();
    const o = await api.db
      .insertInto("organizations")
      .values({ slug: orgSlug, name: "Org", owner_id: owner.user.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await api.db
      .insertInto("organization_memberships")
      .values([
        { organization_id: o.id, user_id: owner.user.id, role: "owner" },
        { organization_id: o.id, user_id: admin.user.id, role: "admin" },
        { organization_id: o.id, user_id: member.user.id, role: "member" },
      ])
      .execute();
    expect(await codeOf(member.caller.tournaments.create(draftInput({ organizationSlug: orgSlug })))).toMatchObject({
      code: "FORBIDDEN",
    });
    const t = await owner.caller.tournaments.create(draftInput({ organizationSlug: orgSlug }));
    expect(t.organization).toEqual({ slug: orgSlug, name: "Org" });
    expect(await codeOf(member.caller.tournaments.publish({ slug: t.slug }))).toMatchObject({ code: "NOT_FOUND" });
    expect((await admin.caller.tournaments.publish({ slug: t.slug })).status).toBe("published");
    // Rights are read live: a demoted admin loses them at once.
    await api.db
      .updateTable("organization_memberships")
      .set({ role: "member" })
      .where("user_id", "=", admin.user.id)
      .execute();
    expect(await codeOf(admin.caller.tournaments.cancel({ slug: t.slug }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("rejects bad windows and bad field definitions, writing nothing", async () => {
    const org = await api.user(uniq("org"));
    const before = await api.db
      .selectFrom("tournaments")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const bad = [
      draftInput({ registrationOpensAt: new Date(now + 10_000), registrationClosesAt: new Date(now) }),
      draftInput({ startsAt: new Date(now) }),
      draftInput({ participantType: "solo", teamSize: 5 }),
      draftInput({ customFields: [{ key: "pick", label: "Pick", kind: "select", required: true }] }),
      draftInput({ checkinOpensAt: new Date(now) }),
    ];
    for (const input of bad)
      expect(await codeOf(org.caller.tournaments.create(input))).toMatchObject({ code: "BAD_REQUEST" });
    const after = await api.db
      .selectFrom("tournaments")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
    await org.caller.tournaments.create(draftInput({ slug: "taken-slug" }));
    expect(await codeOf(org.caller.tournaments.create(draftInput({ slug: "taken-slug" })))).toEqual({
      code: "CONFLICT",
      reason: "SLUG_TAKEN",
    });
  });

  it("discovery lists public tournaments upcoming first, filters by game and status, and pages by cursor", async () => {
    const day = 24 * 3_600_000;
    const base = Date.now() + 30 * day;
    const slugs: string[] = [];
    // Created out of start order on purpose.
    for (const offset of [3, 1, 4, 2, 5]) {
      const { tournament } = await openTournament(api, {
        gameSlug: "rocket-league",
        registrationOpensAt: new Date(Date.now() - 3_600_000),
        registrationClosesAt: new Date(base + offset * day - 3_600_000),
        startsAt: new Date(base + offset * day),
      });
      slugs[offset - 1] = tournament.slug;
    }
    const org = await api.user(uniq("org"));
    await org.caller.tournaments.create(draftInput({ gameSlug: "rocket-league" })); // a draft: never listed
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.caller().tournaments.list({ gameSlug: "rocket-league", limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(slugs);
    const open = await api
      .caller()
      .tournaments.list({ gameSlug: "rocket-league", status: "registration_open", limit: 50 });
    expect(open.items).toHaveLength(5);
    expect(
      (await api.caller().tournaments.list({ gameSlug: "rocket-league", status: "completed", limit: 50 })).items,
    ).toEqual([]);
  });
});
