import { uniq, type Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the invites router. */
export const invitesScenarios = {
  "invites.send": {
    queries: 6, // session, team+roles+invitee, invite, notification + its delivery job, audit job
    async run(api) {
      const owner = await api.user(uniq("inviter"));
      const team = await api.team(owner, uniq("Invite Team "));
      const target = await api.user(uniq("target"));
      return api.measure(() =>
        owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" }),
      );
    },
  },
  "invites.mine": {
    queries: 2,
    async run(api) {
      const target = await api.user(uniq("popular"));
      for (const n of ["A ", "B ", "C "]) {
        const owner = await api.user(uniq("own"));
        const team = await api.team(owner, uniq(`Suitor ${n}`));
        await owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" });
      }
      return api.measure(() => target.caller.invites.mine());
    },
  },
  "invites.accept": {
    queries: 8, // session, team (locked), invite (locked), membership upsert, invite+count update, notification + delivery job, audit job
    async run(api) {
      const owner = await api.user(uniq("host"));
      const team = await api.team(owner, uniq("Accept Team "));
      const guest = await api.user(uniq("guest"));
      const invite = await owner.caller.invites.send({
        teamSlug: team.slug,
        username: guest.user.username,
        role: "player",
      });
      return api.measure(() => guest.caller.invites.accept({ inviteId: invite.id }));
    },
  },
  "invites.decline": {
    queries: 4, // session, invite (locked), update, audit job
    async run(api) {
      const owner = await api.user(uniq("host"));
      const team = await api.team(owner, uniq("Decline Team "));
      const guest = await api.user(uniq("shy"));
      const invite = await owner.caller.invites.send({
        teamSlug: team.slug,
        username: guest.user.username,
        role: "player",
      });
      return api.measure(() => guest.caller.invites.decline({ inviteId: invite.id }));
    },
  },
  "invites.revoke": {
    queries: 4, // session, invite + actor role (locked), update, audit job
    async run(api) {
      const owner = await api.user(uniq("host"));
      const team = await api.team(owner, uniq("Revoke Team "));
      const guest = await api.user(uniq("unwanted"));
      const invite = await owner.caller.invites.send({
        teamSlug: team.slug,
        username: guest.user.username,
        role: "player",
      });
      return api.measure(() => owner.caller.invites.revoke({ inviteId: invite.id }));
    },
  },
} satisfies Scenarios<"invites">;
