import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";
import { storedUpload } from "./uploads.scenarios.ts";

/** An owner, their new team and one member who accepted an invite (names prefixed for reading). */
async function teamWithMember(api: Api, names: { owner: string; team: string; member: string }) {
  const owner = await api.user(uniq(names.owner));
  const team = await api.team(owner, uniq(names.team));
  const member = await api.user(uniq(names.member));
  await api.addMember(owner, team.slug, member);
  return { owner, team, member };
}

/** Query-budget scenarios for the teams router. */
export const teamsScenarios = {
  "teams.create": {
    queries: 5, // session, game+org lookup, team+owner+ranking (one CTE), audit job, detail read
    async run(api) {
      const u = await api.user(uniq("founder"));
      return api.measure(() => u.caller.teams.create({ name: uniq("Budget Team "), gameSlug: "valorant" }));
    },
  },
  "teams.bySlug": {
    queries: 1, // uncached: team, game, org, owner, ranking and roster in one statement
    async run(api) {
      const owner = await api.user(uniq("owner"));
      const team = await api.team(owner, uniq("Detail Team "));
      for (const name of ["p1", "p2", "p3", "p4"]) await api.addMember(owner, team.slug, await api.user(uniq(name)));
      await api.cache.invalidate("teamDetail", team.slug);
      return api.measure(() => api.caller().teams.bySlug({ slug: team.slug }));
    },
  },
  "teams.search": {
    queries: 2, // a game's first page: its promoted teams, then the page without them
    async run(api) {
      const owner = await api.user(uniq("searcher"));
      for (const n of ["Alpha", "Alps", "Beta"]) await api.team(owner, uniq(`${n} `), "cs2");
      return api.measure(() => api.caller().teams.search({ gameSlug: "cs2", namePrefix: "al", limit: 10 }));
    },
  },
  "teams.mine": {
    queries: 2, // session, teams (uncached)
    async run(api) {
      const u = await api.user(uniq("multi"));
      for (const n of ["One ", "Two ", "Three "]) await api.team(u, uniq(n));
      await api.cache.invalidate("userTeams", u.user.id);
      return api.measure(() => u.caller.teams.mine());
    },
  },
  "teams.viewer": {
    queries: 2, // session, the team with the viewer's membership and follow row
    async run(api) {
      const { team, member } = await teamWithMember(api, { owner: "vowner", team: "Viewer Team ", member: "viewer" });
      return api.measure(() => member.caller.teams.viewer({ slug: team.slug }));
    },
  },
  "teams.update": {
    queries: 5, // session, team + roles (locked), update, audit job, detail read
    async run(api) {
      const owner = await api.user(uniq("editor"));
      const team = await api.team(owner, uniq("Edit Team "));
      return api.measure(() => owner.caller.teams.update({ slug: team.slug, description: "New season" }));
    },
  },
  "teams.disband": {
    queries: 6, // session, team + roster (locked), team + invites update (one CTE), notifications + delivery job, audit job
    async run(api) {
      const owner = await api.user(uniq("disbander"));
      const team = await api.team(owner, uniq("Doomed Team "));
      for (const n of ["d1", "d2", "d3"]) await api.addMember(owner, team.slug, await api.user(uniq(n)));
      await owner.caller.invites.send({ teamSlug: team.slug, username: (await api.user(uniq("late"))).user.username });
      return api.measure(() => owner.caller.teams.disband({ slug: team.slug }));
    },
  },
  "teams.removeMember": {
    queries: 6, // session, team + roles + target (locked), membership + count (one CTE), notification + job, audit job
    async run(api) {
      const { owner, team, member } = await teamWithMember(api, {
        owner: "remover",
        team: "Remove Team ",
        member: "removed",
      });
      return api.measure(() => owner.caller.teams.removeMember({ slug: team.slug, username: member.user.username }));
    },
  },
  "teams.changeRole": {
    queries: 6, // session, team + roles + target (locked), update, notification + job, audit job
    async run(api) {
      const { owner, team, member } = await teamWithMember(api, {
        owner: "promoter",
        team: "Role Team ",
        member: "promoted",
      });
      return api.measure(() =>
        owner.caller.teams.changeRole({ slug: team.slug, username: member.user.username, role: "captain" }),
      );
    },
  },
  "teams.leave": {
    queries: 4, // session, team + role (locked), membership + count (one CTE), audit job
    async run(api) {
      const { team, member } = await teamWithMember(api, {
        owner: "stayer",
        team: "Leave Team ",
        member: "leaver",
      });
      return api.measure(() => member.caller.teams.leave({ slug: team.slug }));
    },
  },
  "teams.transferOwnership": {
    queries: 6, // session, team + roles + target (locked), memberships + owner (one CTE), notification + job, audit job
    async run(api) {
      const {
        owner,
        team,
        member: heir,
      } = await teamWithMember(api, { owner: "abdicator", team: "Crown Team ", member: "heir" });
      return api.measure(() => owner.caller.teams.transferOwnership({ slug: team.slug, username: heir.user.username }));
    },
  },
  "teams.setImages": {
    queries: 6, // session, team + role, both uploads (one statement), update, audit job, detail read
    async run(api) {
      const owner = await api.user(uniq("decorator"));
      const team = await api.team(owner, uniq("Logo Team "));
      const [logo, banner] = [await storedUpload(api, owner.user.id), await storedUpload(api, owner.user.id)];
      return api.measure(() =>
        owner.caller.teams.setImages({ slug: team.slug, logoUploadId: logo.id, bannerUploadId: banner.id }),
      );
    },
  },
} satisfies Scenarios<"teams">;
