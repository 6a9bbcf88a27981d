/**
 * Regression: `invites.accept` locked the invite and then the team, `teams.disband` the team and
 * then its invites; racing, they deadlocked and the invitee got a 500. One lock order (team before
 * invite) closes it. Many rounds of the real race over real concurrent HTTP connections: no 500,
 * no deadlock retried, and each round ends in one of the two consistent states.
 */
import { createClient, isApiError } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

const ROUNDS = 30;

describe("invites.accept racing teams.disband", () => {
  const services = useTestServices();

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
  });

  it(`${ROUNDS} rounds: no 500, no deadlock, a consistent end state each time`, async () => {
    const platform = await startTestPlatform(services, { dbPoolMax: 6 });
    try {
      const anon = createClient({ url: platform.url });
      const { token: ownerToken } = await anon.identity.signUp.mutate({
        username: "racer",
        email: "racer@dc.gg",
        password: "long-enough-pw",
      });
      const { token: guestToken } = await anon.identity.signUp.mutate({
        username: "joiner",
        email: "joiner@dc.gg",
        password: "long-enough-pw",
      });
      const owner = createClient({ url: platform.url, token: ownerToken });
      const guest = createClient({ url: platform.url, token: guestToken });
      const outcomes = { accepted: 0, refused: 0 };

      for (let round = 0; round < ROUNDS; round++) {
        const team = await owner.teams.create.mutate({ name: `Race Team ${round}`, gameSlug: "valorant" });
        const invite = await owner.invites.send.mutate({ teamSlug: team.slug, username: "joiner", role: "player" });
        // Two clients, two connections, sent in the same tick.
        const [accept, disband] = await Promise.allSettled([
          guest.invites.accept.mutate({ inviteId: invite.id }),
          owner.teams.disband.mutate({ slug: team.slug }),
        ]);
        expect(disband.status).toBe("fulfilled");
        if (accept.status === "rejected") {
          const error: unknown = accept.reason;
          expect(isApiError(error) && error.data).toMatchObject({
            code: "PRECONDITION_FAILED",
            reason: expect.stringMatching(/^(INVITE_REVOKED|TEAM_DISBANDED)$/),
          });
          outcomes.refused++;
        } else outcomes.accepted++;

        const state = await services.db
          .selectFrom("teams as t")
          .innerJoin("team_invites as i", "i.team_id", "t.id")
          .leftJoin("team_memberships as m", (j) =>
            j.onRef("m.team_id", "=", "t.id").on("m.status", "=", "active").on("m.role", "=", "player"),
          )
          .select(["t.member_count", "t.disbanded_at", "i.status as invite", "m.id as membership"])
          .where("t.slug", "=", team.slug)
          .executeTakeFirstOrThrow();
        expect(state.disbanded_at).not.toBeNull();
        if (accept.status === "fulfilled")
          expect(state).toMatchObject({ member_count: 2, invite: "accepted", membership: expect.any(Number) });
        else expect(state).toMatchObject({ member_count: 1, invite: "revoked", membership: null });
      }
      expect(outcomes.accepted + outcomes.refused).toBe(ROUNDS);

      // The lock order, not the retry, closed it: no transaction needed a second attempt.
      const metrics = await (await fetch(`${platform.url}/metrics`)).text();
      expect(metrics).not.toMatch(/dc_transaction_retries_total\{scope="(invites\.accept|teams\.disband)"\}/);
      expect(metrics).not.toMatch(/dc_procedure_errors_total\{[^}]*code="INTERNAL_SERVER_ERROR"/);
    } finally {
      await platform.close();
    }
  }, 120_000);
});
