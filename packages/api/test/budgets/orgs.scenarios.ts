import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

async function orgWithOwner(api: Api, prefix: string) {
  const owner = await api.user(uniq(prefix));
  const org = await owner.caller.orgs.create({ name: uniq("Budget Org "), slug: uniq("budget-org-") });
  return { owner, org };
}

/** Query-budget scenarios for the orgs router. */
export const orgsScenarios = {
  "orgs.create": {
    queries: 3, // session, org + owner membership (one CTE), audit job
    async run(api) {
      const u = await api.user(uniq("orgfounder"));
      return api.measure(() => u.caller.orgs.create({ name: uniq("Founded Org ") }));
    },
  },
  "orgs.bySlug": {
    queries: 1, // uncached: org, owner and member count in one statement
    async run(api) {
      const { org } = await orgWithOwner(api, "orgreader");
      await api.cache.invalidate("org", org.slug);
      return api.measure(() => api.caller().orgs.bySlug({ slug: org.slug }));
    },
  },
  "orgs.update": {
    queries: 5, // session, org + role (locked), update, audit job, profile read
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgeditor");
      return api.measure(() => owner.caller.orgs.update({ slug: org.slug, description: "Founded in 2026" }));
    },
  },
  "orgs.delete": {
    queries: 5, // session, org + role + active teams (locked), detach disbanded teams, delete, audit job
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgdeleter");
      return api.measure(() => owner.caller.orgs.delete({ slug: org.slug }));
    },
  },
  "orgs.members": {
    queries: 3, // session, org + live role, one page
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orglister");
      for (const n of ["m1", "m2", "m3"]) {
        const m = await api.user(uniq(n));
        await owner.caller.orgs.addMember({ slug: org.slug, username: m.user.username, role: "member" });
      }
      return api.measure(() => owner.caller.orgs.members({ slug: org.slug, limit: 2 }));
    },
  },
  "orgs.addMember": {
    queries: 4, // session, org + roles + target (locked), insert, audit job
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgadder");
      const m = await api.user(uniq("newbie"));
      return api.measure(() => owner.caller.orgs.addMember({ slug: org.slug, username: m.user.username }));
    },
  },
  "orgs.changeMemberRole": {
    queries: 4, // session, org + roles + target (locked), update, audit job
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgpromoter");
      const m = await api.user(uniq("rising"));
      await owner.caller.orgs.addMember({ slug: org.slug, username: m.user.username });
      return api.measure(() =>
        owner.caller.orgs.changeMemberRole({ slug: org.slug, username: m.user.username, role: "admin" }),
      );
    },
  },
  "orgs.removeMember": {
    queries: 4, // session, org + roles + target (locked), delete, audit job
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgremover");
      const m = await api.user(uniq("gone"));
      await owner.caller.orgs.addMember({ slug: org.slug, username: m.user.username });
      return api.measure(() => owner.caller.orgs.removeMember({ slug: org.slug, username: m.user.username }));
    },
  },
  "orgs.dashboard": {
    queries: 6, // uncached: session, live access, top teams + games + rankings, per-game counts, member count, recent activity
    async run(api) {
      const { owner, org } = await orgWithOwner(api, "orgboss");
      for (const [n, game] of [
        ["Alpha ", "valorant"],
        ["Beta ", "valorant"],
        ["Gamma ", "cs2"],
      ] as const)
        await owner.caller.teams.create({ name: uniq(n), gameSlug: game, organizationSlug: org.slug });
      await api.cache.invalidate("orgDashboard", org.slug);
      return api.measure(() => owner.caller.orgs.dashboard({ slug: org.slug }));
    },
  },
} satisfies Scenarios<"orgs">;
