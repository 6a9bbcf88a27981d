/**
 * The contract's query budgets, exercised for every procedure: each scenario sets up its data,
 * makes ONE measured call, and asserts the exact statement count (and that it is within the
 * budget table). The ordered fingerprints are snapshotted, so a change that adds a query shows
 * up in review. The router walk at the end fails for any procedure without a scenario.
 */
import { describe, expect, it } from "vitest";
import { appRouter, budgets, CATEGORIES, listProcedures, type BudgetedPath, type CallReport } from "../src/index.ts";
import { PASSWORD, useApi, type Api } from "./support.ts";

interface Scenario {
  /** Exact statements the call runs (transaction control excluded). */
  queries: number;
  run(api: Api, n: number): Promise<{ report: CallReport }>;
}

let seq = 0;
const uniq = (prefix: string) => `${prefix}${++seq}`;

const scenarios = {
  "identity.signUp": {
    queries: 3, // user, session, audit job
    run: (api) =>
      api.measure(() =>
        api.caller().identity.signUp({ username: uniq("newbie"), email: `${uniq("n")}@x.dc`, password: PASSWORD }),
      ),
  },
  "identity.signIn": {
    queries: 2, // user by login, new session
    async run(api) {
      const u = await api.user(uniq("signer"));
      return api.measure(() => api.caller().identity.signIn({ login: u.user.username, password: PASSWORD }));
    },
  },
  "identity.signOut": {
    queries: 2, // session, delete
    async run(api) {
      const u = await api.user(uniq("leaver"));
      return api.measure(() => u.caller.identity.signOut());
    },
  },
  "identity.me": {
    queries: 1, // the session lookup already carries the user
    async run(api) {
      const u = await api.user(uniq("me"));
      return api.measure(() => u.caller.identity.me());
    },
  },
  "games.list": {
    queries: 1,
    async run(api) {
      await api.cache.invalidate("gameList", "all");
      return api.measure(() => api.caller().games.list());
    },
  },
  "games.bySlug": {
    queries: 1,
    async run(api) {
      await api.cache.invalidate("game", "cs2");
      return api.measure(() => api.caller().games.bySlug({ slug: "cs2" }));
    },
  },
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
    queries: 1,
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
  "invites.send": {
    queries: 5, // session, team+roles+invitee, invite, notification, audit job
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
    queries: 6, // session, invite (locked), membership upsert, invite+count update, notification, audit job
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
} satisfies Record<BudgetedPath, Scenario>;

const exercised = new Set<string>();

describe("query budgets", () => {
  const api = useApi();

  for (const [path, scenario] of Object.entries(scenarios) as [BudgetedPath, Scenario][]) {
    it(`${path} runs exactly ${scenario.queries} queries, within its budget`, async () => {
      const { report } = await scenario.run(api, 0);
      exercised.add(path);
      expect(report.path).toBe(path);
      expect(report.violations).toEqual([]);
      expect(report.ledger.count, report.ledger.fingerprints().join("\n")).toBe(scenario.queries);
      expect(report.ledger.count).toBeLessThanOrEqual(budgets[path].maxQueries);
      expect(report.ledger.fingerprints()).toMatchSnapshot();
    });
  }

  it("cached reads cost no query at all on a hit (team detail, games, my teams)", async () => {
    const u = await api.user(uniq("cached"));
    const team = await api.team(u, uniq("Cached Team "));
    await u.caller.teams.bySlug({ slug: team.slug });
    await u.caller.games.list();
    await u.caller.teams.mine();
    expect((await api.measure(() => api.caller().teams.bySlug({ slug: team.slug }))).report.ledger.count).toBe(0);
    expect((await api.measure(() => api.caller().games.list())).report.ledger.count).toBe(0);
    expect((await api.measure(() => u.caller.teams.mine())).report.ledger.count).toBe(1); // the session only
  });

  it("walks the router: every procedure has a category, a budget within its ceiling, and ran above", () => {
    const procedures = listProcedures(appRouter);
    expect(procedures.length).toBeGreaterThan(0);
    const table: Record<string, { category: string; maxQueries: number }> = budgets;
    for (const p of procedures) {
      expect(p.meta?.category, `${p.path} declares no contract category`).toBeDefined();
      const budget = table[p.path];
      expect(budget, `${p.path} has no budget`).toBeDefined();
      expect(budget!.category, `${p.path}: budget category differs from the procedure's`).toBe(p.meta!.category);
      expect(budget!.maxQueries).toBeLessThanOrEqual(CATEGORIES[p.meta!.category].maxQueries);
      expect(exercised.has(p.path), `${p.path} was not exercised by a query-budget test`).toBe(true);
    }
    expect(Object.keys(budgets).sort()).toEqual(procedures.map((p) => p.path).sort());
  });
});
