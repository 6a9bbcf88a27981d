import { social } from "@deltacrown/domain";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

type Prefix = "posts" | "follows" | "sponsors" | "promotions" | "teamSettings" | "teamAnalytics";

async function ownerAndTeam(api: Api, name: string) {
  const owner = await api.user(uniq(`${name}owner`));
  const team = await api.team(owner, uniq(`${name} Team `));
  return { owner, team };
}

const day = 24 * 3600 * 1000;

/** Query-budget scenarios for the team social side (issue 17). */
export const socialScenarios = {
  "posts.create": {
    queries: 3, // session, team + role, insert
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "poster");
      return api.measure(() => owner.caller.posts.create({ teamSlug: team.slug, body: "GG everyone" }));
    },
  },
  "posts.delete": {
    queries: 3, // session, post + team + role, delete
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "deleter");
      const p = await owner.caller.posts.create({ teamSlug: team.slug, body: "Oops" });
      return api.measure(() => owner.caller.posts.delete({ postId: p.id }));
    },
  },
  "posts.pin": {
    queries: 4, // session, team + role (locked), unpin the previous one, pin
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "pinner");
      const first = await owner.caller.posts.create({ teamSlug: team.slug, body: "First" });
      await owner.caller.posts.pin({ teamSlug: team.slug, postId: first.id });
      const second = await owner.caller.posts.create({ teamSlug: team.slug, body: "Second" });
      return api.measure(() => owner.caller.posts.pin({ teamSlug: team.slug, postId: second.id }));
    },
  },
  "posts.teamFeed": {
    queries: 2, // anonymous: team (+ viewer role), page
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "feeder");
      for (const body of ["one", "two", "three"]) await owner.caller.posts.create({ teamSlug: team.slug, body });
      return api.measure(() => api.caller().posts.teamFeed({ teamSlug: team.slug, limit: 2 }));
    },
  },
  "posts.homeFeed": {
    queries: 2, // session, the page across followed teams (one LATERAL statement)
    async run(api) {
      const fan = await api.user(uniq("fan"));
      for (const n of ["A", "B", "C"]) {
        const { owner, team } = await ownerAndTeam(api, `home${n}`);
        await owner.caller.posts.create({ teamSlug: team.slug, body: `news from ${n}` });
        await fan.caller.follows.follow({ teamSlug: team.slug });
      }
      return api.measure(() => fan.caller.posts.homeFeed({ limit: 2 }));
    },
  },
  "follows.follow": {
    queries: 2, // session, follow row + precomputed count (one statement)
    async run(api) {
      const { team } = await ownerAndTeam(api, "followed");
      const fan = await api.user(uniq("follower"));
      return api.measure(() => fan.caller.follows.follow({ teamSlug: team.slug }));
    },
  },
  "follows.unfollow": {
    queries: 2, // session, delete + precomputed count (one statement)
    async run(api) {
      const { team } = await ownerAndTeam(api, "unfollowed");
      const fan = await api.user(uniq("leaverfan"));
      await fan.caller.follows.follow({ teamSlug: team.slug });
      return api.measure(() => fan.caller.follows.unfollow({ teamSlug: team.slug }));
    },
  },
  "follows.followers": {
    queries: 1, // team + a page of followers (LATERAL), one statement
    async run(api) {
      const { team } = await ownerAndTeam(api, "popular");
      for (const n of ["f1", "f2", "f3"])
        await (await api.user(uniq(n))).caller.follows.follow({ teamSlug: team.slug });
      return api.measure(() => api.caller().follows.followers({ teamSlug: team.slug, limit: 2 }));
    },
  },
  "follows.mine": {
    queries: 2, // session, page
    async run(api) {
      const fan = await api.user(uniq("collector"));
      for (const n of ["X", "Y", "Z"]) {
        const { team } = await ownerAndTeam(api, `mine${n}`);
        await fan.caller.follows.follow({ teamSlug: team.slug });
      }
      return api.measure(() => fan.caller.follows.mine({ limit: 2 }));
    },
  },
  "sponsors.propose": {
    queries: 3, // session, team + role, insert
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "sponsored");
      return api.measure(() =>
        owner.caller.sponsors.propose({
          teamSlug: team.slug,
          name: "Energy Drink Co",
          linkUrl: "https://example.com/drink",
          startsAt: new Date(Date.now() - day),
          endsAt: new Date(Date.now() + 30 * day),
        }),
      );
    },
  },
  "sponsors.approve": {
    queries: 4, // session, sponsor + team + role (locked), update, audit job
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "approver");
      const s = await owner.caller.sponsors.propose({
        teamSlug: team.slug,
        name: "Chair Maker",
        linkUrl: "https://example.com/chairs",
        startsAt: new Date(Date.now() - day),
        endsAt: new Date(Date.now() + 30 * day),
      });
      return api.measure(() => owner.caller.sponsors.approve({ sponsorId: s.id }));
    },
  },
  "sponsors.list": {
    queries: 3, // session, team + role, page
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "lister");
      for (const name of ["One", "Two"])
        await owner.caller.sponsors.propose({
          teamSlug: team.slug,
          name,
          linkUrl: "https://example.com/",
          startsAt: new Date(Date.now() + day),
          endsAt: new Date(Date.now() + 2 * day),
        });
      return api.measure(() => owner.caller.sponsors.list({ teamSlug: team.slug, limit: 1 }));
    },
  },
  "promotions.create": {
    queries: 3, // session, team + role, insert (game slug by subquery)
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "promoter");
      return api.measure(() =>
        owner.caller.promotions.create({
          teamSlug: team.slug,
          startsAt: new Date(Date.now() - day),
          endsAt: new Date(Date.now() + 7 * day),
        }),
      );
    },
  },
  "promotions.list": {
    queries: 3, // session, team + role, page (game slugs joined)
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "promolister");
      for (const weeks of [1, 2, 3])
        await owner.caller.promotions.create({
          teamSlug: team.slug,
          startsAt: new Date(Date.now() + (weeks - 1) * 7 * day),
          endsAt: new Date(Date.now() + weeks * 7 * day),
        });
      return api.measure(() => owner.caller.promotions.list({ teamSlug: team.slug, limit: 2 }));
    },
  },
  "promotions.delete": {
    queries: 3, // session, promotion + team + role, delete
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "promocanceller");
      const p = await owner.caller.promotions.create({
        teamSlug: team.slug,
        startsAt: new Date(Date.now() - day),
        endsAt: new Date(Date.now() + 7 * day),
      });
      return api.measure(() => owner.caller.promotions.delete({ promotionId: p.id }));
    },
  },
  "teamSettings.update": {
    queries: 4, // session, team + role (locked), update, audit job
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "settler");
      return api.measure(() =>
        owner.caller.teamSettings.update({ teamSlug: team.slug, feedVisibility: "members", postPolicy: "captains" }),
      );
    },
  },
  "teamAnalytics.weekly": {
    queries: 3, // session, team + role, page
    async run(api) {
      const { owner, team } = await ownerAndTeam(api, "analyst");
      await social.computeAnalytics(api.db, { weekStart: social.weekStartOf(new Date()), viewTotals: new Map() });
      return api.measure(() => owner.caller.teamAnalytics.weekly({ teamSlug: team.slug, limit: 10 }));
    },
  },
} satisfies Scenarios<Prefix>;
