/**
 * Every input the issue saw answered with a 500, sent as raw HTTP to the real server: each is now
 * a 400 BAD_REQUEST naming the field at fault, and nothing in the database changed.
 */
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, tableChecksums, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";
import { rawCall } from "./raw-rpc.ts";

installOpenHandleCheck();

const INT4_OVERFLOW = 2 ** 31;
const HOUR = 3_600_000;

describe("hostile input over raw HTTP", () => {
  const services = useTestServices();
  let platform: Platform;
  let token: string;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
    const signUp = await rawCall(platform.url, "mutation", "identity.signUp", {
      username: "hostile",
      email: "hostile@dc.gg",
      password: "long-enough-pw",
    });
    token = (signUp.body.result?.data as { token: string }).token;
  });

  afterAll(async () => {
    await platform?.close();
  });

  const now = Date.now();
  const tournament = {
    name: "Hostile Cup",
    gameSlug: "valorant",
    format: "single_elimination",
    participantType: "team",
    capacity: 8,
    teamSize: 1,
    registrationOpensAt: new Date(now).toISOString(),
    registrationClosesAt: new Date(now + HOUR).toISOString(),
    startsAt: new Date(now + 2 * HOUR).toISOString(),
  };

  const cases: [string, "query" | "mutation", string, unknown, string][] = [
    ["an invite id above int4", "mutation", "invites.accept", { inviteId: INT4_OVERFLOW }, "inviteId"],
    [
      "a match id above int4",
      "mutation",
      "matches.report",
      { matchId: INT4_OVERFLOW, scoreA: 1, scoreB: 0 },
      "matchId",
    ],
    ["a notification id above int4", "mutation", "notifications.markRead", { ids: [INT4_OVERFLOW] }, "ids.0"],
    [
      "a registration id above int4",
      "mutation",
      "registrations.withdraw",
      { registrationId: INT4_OVERFLOW },
      "registrationId",
    ],
    ["a teams.search cursor above int4", "query", "teams.search", { cursor: INT4_OVERFLOW }, "cursor"],
    ["a notifications.list cursor above int4", "query", "notifications.list", { cursor: INT4_OVERFLOW }, "cursor"],
    [
      "a registrations.list cursor above int4",
      "query",
      "registrations.list",
      { tournamentSlug: "hostile-cup", cursor: INT4_OVERFLOW },
      "cursor",
    ],
    [
      "a tournaments.list cursor whose id is above int4",
      "query",
      "tournaments.list",
      { cursor: "1767225600000:2147483648" },
      "cursor",
    ],
    [
      "a tournaments.list cursor whose time is no date",
      "query",
      "tournaments.list",
      { cursor: "9999999999999999:1" },
      "cursor",
    ],
    [
      "a start in year −200000",
      "mutation",
      "tournaments.create",
      { ...tournament, startsAt: "-200000-01-01T00:00:00.000Z" },
      "startsAt",
    ],
    [
      "a NUL in a team description",
      "mutation",
      "teams.create",
      { name: "Nul Five", gameSlug: "valorant", description: "fine\u0000text" },
      "description",
    ],
    ["a NUL in a search prefix", "query", "teams.search", { namePrefix: "nu\u0000l" }, "namePrefix"],
  ];

  for (const [label, kind, path, input, field] of cases) {
    it(`${path}: ${label} is 400 BAD_REQUEST on ${field}, and writes nothing`, async () => {
      const before = await tableChecksums(services.db);
      const { status, body } = await rawCall(platform.url, kind, path, input, token);
      expect(status).toBe(400);
      expect(body.error?.data.code).toBe("BAD_REQUEST");
      expect(Object.keys(body.error?.data.fieldErrors ?? {})).toContain(field);
      expect(JSON.stringify(body)).not.toMatch(/out of range|invalid byte sequence|stack|select /i);
      expect(await tableChecksums(services.db)).toEqual(before);
    });
  }

  it("the same inputs without the hostile part are served (the refusal is about the hostile part)", async () => {
    const ok = await rawCall(platform.url, "query", "teams.search", { cursor: 2 ** 31 - 1, namePrefix: "nul" }, token);
    expect(ok.status).toBe(200);
    const created = await rawCall(platform.url, "mutation", "tournaments.create", tournament, token);
    expect(created.status).toBe(200);
    const listed = await rawCall(platform.url, "query", "tournaments.list", { cursor: "1767225600000:1" });
    expect(listed.status).toBe(200);
  });
});
