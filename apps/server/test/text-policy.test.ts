/**
 * The text policy through the typed client against the real server: every hostile sample the
 * issue lists — script tags, `<img onerror>`, `javascript:` URLs, U+202E, zero-width characters,
 * BEL and ESC — is refused in names, stripped from free text, refused as a URL; emoji-only and
 * CJK-only names yield slugs that can be fetched.
 */
import { createClient, isApiError, type ErrorData } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, tableChecksums, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

type Client = ReturnType<typeof createClient>;
const HOUR = 3_600_000;

/** Names a browser or a reader would be fooled by. */
const HOSTILE_NAMES: [string, string][] = [
  ["a script tag", "<script>alert(1)</script>"],
  ["an img with onerror", '<img src=x onerror="alert(1)">'],
  ["U+202E (right-to-left override)", "Crown\u202Eexe.txt"],
  ["a zero-width space", "Cro\u200Bwn"],
  ["a zero-width joiner between letters", "Cro\u200Dwn"],
  ["BEL", "Crown\u0007"],
  ["ESC", "Crown\u001b[31m"],
];

describe("text policy through the typed client", () => {
  const services = useTestServices();
  let platform: Platform;
  let owner: Client;

  async function signUp(username: string): Promise<Client> {
    const session: { token?: string } = {};
    const client = createClient({ url: platform.url, token: () => session.token });
    session.token = (
      await client.identity.signUp.mutate({ username, email: `${username}@dc.gg`, password: "long-enough-pw" })
    ).token;
    return client;
  }

  /** The call is refused with BAD_REQUEST naming `field`, and nothing in the database changed. */
  async function refused(call: () => Promise<unknown>, field: string, reason?: string) {
    const before = await tableChecksums(services.db);
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isApiError(error), "the call should have been refused").toBe(true);
    if (!isApiError(error)) return;
    const data = error.data as ErrorData | undefined;
    expect(data?.code).toBe("BAD_REQUEST");
    if (reason) expect(data?.reason).toBe(reason);
    expect(Object.keys(data?.fieldErrors ?? {})).toContain(field);
    expect(await tableChecksums(services.db)).toEqual(before);
  }

  const tournamentInput = (name: string) => {
    const now = Date.now();
    return {
      name,
      gameSlug: "valorant",
      format: "single_elimination" as const,
      participantType: "solo" as const,
      capacity: 8,
      teamSize: 1,
      registrationOpensAt: new Date(now - HOUR),
      registrationClosesAt: new Date(now + HOUR),
      startsAt: new Date(now + 2 * HOUR),
    };
  };

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
    owner = await signUp("texter");
  });

  afterAll(async () => {
    await platform?.close();
  });

  describe("names and tags are plain text", () => {
    for (const [label, name] of HOSTILE_NAMES) {
      it(`refuses ${label} in team names and tags, display names, org, tournament, sponsor and field names`, async () => {
        await refused(() => owner.teams.create.mutate({ name, gameSlug: "valorant" }), "name");
        await refused(
          () => owner.teams.create.mutate({ name: "Fine Name", tag: name.slice(0, 8), gameSlug: "valorant" }),
          "tag",
        );
        await refused(
          () =>
            createClient({ url: platform.url }).identity.signUp.mutate({
              username: "hostile_name",
              email: "hostile_name@dc.gg",
              password: "long-enough-pw",
              displayName: name,
            }),
          "displayName",
        );
        await refused(() => owner.orgs.create.mutate({ name }), "name");
        await refused(() => owner.tournaments.create.mutate(tournamentInput(`${name} Cup`)), "name");
        await refused(
          () => owner.tournaments.create.mutate({ ...tournamentInput("Sponsored Cup"), sponsors: [{ name }] }),
          "sponsors.0.name",
        );
        await refused(
          () =>
            owner.tournaments.create.mutate({
              ...tournamentInput("Field Cup"),
              customFields: [{ key: "note", label: name, kind: "text", required: false }],
            }),
          "customFields.0.label",
        );
      });
    }

    it("keeps an emoji built with a zero-width joiner, and stores names in NFC", async () => {
      const team = await owner.teams.create.mutate({ name: "Fam 👨\u200D👩\u200D👧 Cafe\u0301", gameSlug: "valorant" });
      expect(team.name).toBe("Fam 👨\u200D👩\u200D👧 Caf\u00e9");
      expect(team.name.normalize("NFC")).toBe(team.name);
    });
  });

  describe("free text is sanitized at write time", () => {
    it("strips markup from team, org and tournament descriptions, keeping the text", async () => {
      const team = await owner.teams.create.mutate({
        name: "Clean Five",
        gameSlug: "valorant",
        description: 'We <b>win</b><script>alert(1)</script><img src=x onerror="alert(1)"> & never <3 lose',
      });
      expect(team.description).toBe("We win & never <3 lose");
      const reread = await createClient({ url: platform.url }).teams.bySlug.query({ slug: team.slug });
      expect(reread.description).toBe("We win & never <3 lose");

      const updated = await owner.teams.update.mutate({
        slug: team.slug,
        description: "&lt;script&gt;alert(1)&lt;/script&gt;Encoded\u202E\u200B\u0007",
      });
      expect(updated.description).toBe("Encoded");

      const org = await owner.orgs.create.mutate({
        name: "Clean Org",
        description: "<iframe src=//evil></iframe>About us",
      });
      expect(org.description).toBe("About us");

      const t = await owner.tournaments.create.mutate({
        ...tournamentInput("Clean Cup"),
        description: "<a href=javascript:alert(1)>Read</a> the rules",
        prizeDescription: "<svg onload=alert(1)>Glory",
        rules: '<p>Be <strong>fair</strong></p><a href="javascript:alert(1)">x</a><script>alert(1)</script>',
      });
      expect(t.description).toBe("Read the rules");
      expect(t.prizeDescription).toBe("Glory");
      // Rules are the one rich-text field: a small allow-list survives, scripts and javascript: links do not.
      expect(t.rules).toBe('<p>Be <strong>fair</strong></p><a rel="noopener noreferrer nofollow">x</a>');
    });

    it("refuses a registrant's custom-field answer with markup or control characters", async () => {
      const t = await owner.tournaments.create.mutate({
        ...tournamentInput("Answer Cup"),
        customFields: [{ key: "note", label: "Note", kind: "text", required: false }],
      });
      await owner.tournaments.publish.mutate({ slug: t.slug });
      await owner.tournaments.openRegistration.mutate({ slug: t.slug });
      const player = await signUp("answerer");
      for (const [, value] of HOSTILE_NAMES)
        await refused(
          () => player.registrations.register.mutate({ tournamentSlug: t.slug, fields: { note: value } }),
          "fields.note",
          "INVALID_FIELDS",
        );
      const ok = await player.registrations.register.mutate({ tournamentSlug: t.slug, fields: { note: "GG <3" } });
      expect(ok.fields).toEqual({ note: "GG <3" });
    });
  });

  describe("URLs are https (or http where a person expects it), nothing else", () => {
    it("refuses javascript: and data: as an org website, a sponsor url or logo, and a webhook url", async () => {
      for (const url of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>"]) {
        await refused(() => owner.orgs.create.mutate({ name: "Linked Org", website: url }), "website");
        await refused(
          () => owner.tournaments.create.mutate({ ...tournamentInput("Link Cup"), sponsors: [{ name: "S", url }] }),
          "sponsors.0.url",
        );
        await refused(
          () =>
            owner.tournaments.create.mutate({
              ...tournamentInput("Logo Cup"),
              sponsors: [{ name: "S", logoUrl: url }],
            }),
          "sponsors.0.logoUrl",
        );
      }
      const org = await owner.orgs.create.mutate({ name: "Hooked Org", website: "http://hooked.example" });
      expect(org.website).toBe("http://hooked.example");
      await refused(
        () =>
          owner.webhooks.register.mutate({
            organizationSlug: org.slug,
            url: "javascript:alert(1)",
            eventTypes: ["registration.created"],
          }),
        "url",
      );
      // A logo loads inside an https page: http is refused there.
      await refused(
        () =>
          owner.tournaments.create.mutate({
            ...tournamentInput("Mixed Cup"),
            sponsors: [{ name: "S", logoUrl: "http://cdn.example/logo.png" }],
          }),
        "sponsors.0.logoUrl",
      );
    });
  });

  describe("every name yields a non-empty, unique slug that can be fetched", () => {
    it("transliterates CJK and emoji names, falls back to a short id, and never collides", async () => {
      const anonymous = createClient({ url: platform.url });
      const cjk = await owner.teams.create.mutate({ name: "北京战队", gameSlug: "valorant" });
      expect(cjk.slug).toBe("beijingzhandui");
      const emoji = await owner.teams.create.mutate({ name: "🔥🐉", gameSlug: "valorant" });
      expect(emoji.slug).toBe("fire-dragon");
      const stars = await owner.teams.create.mutate({ name: "★★", gameSlug: "valorant" });
      expect(stars.slug).toMatch(/^team-[a-z0-9]{6}$/);
      const twin = await owner.teams.create.mutate({ name: "北京战队", gameSlug: "cs2" });
      expect(twin.slug).toMatch(/^beijingzhandui-[a-z0-9]{6}$/);
      for (const t of [cjk, emoji, stars, twin])
        expect(await anonymous.teams.bySlug.query({ slug: t.slug })).toMatchObject({ id: t.id, name: t.name });

      const org = await owner.orgs.create.mutate({ name: "東京" });
      expect(await anonymous.orgs.bySlug.query({ slug: org.slug })).toMatchObject({ name: "東京" });
      const cup = await owner.tournaments.create.mutate(tournamentInput("😀😀😀"));
      expect(cup.slug).toBe("grinning-grinning-grinning");
      await owner.tournaments.publish.mutate({ slug: cup.slug });
      expect(await anonymous.tournaments.bySlug.query({ slug: cup.slug })).toMatchObject({ name: "😀😀😀" });
    });
  });
});
