import type { Budget } from "../budget.ts";

/** Issue 17: feed pages ≤ 4, follow/unfollow ≤ 5 (counts include the session lookup). */
export const socialBudgets = {
  "posts.create": { category: "write", maxQueries: 4 },
  "posts.delete": { category: "write", maxQueries: 3 },
  "posts.pin": { category: "write", maxQueries: 4 },
  "posts.teamFeed": { category: "list", maxQueries: 3, reads: "replica" },
  "posts.homeFeed": { category: "list", maxQueries: 2, reads: "replica" },
  "follows.follow": { category: "write", maxQueries: 2 },
  "follows.unfollow": { category: "write", maxQueries: 2 },
  "follows.followers": { category: "list", maxQueries: 1, reads: "replica" },
  "follows.mine": { category: "list", maxQueries: 2 },
  "sponsors.propose": { category: "write", maxQueries: 4 },
  "sponsors.approve": { category: "write", maxQueries: 4 },
  "sponsors.list": { category: "list", maxQueries: 3 },
  "promotions.create": { category: "write", maxQueries: 3 },
  "promotions.list": { category: "list", maxQueries: 3 },
  "promotions.delete": { category: "write", maxQueries: 3 },
  "teamSettings.update": { category: "write", maxQueries: 4 },
  "teamAnalytics.weekly": { category: "list", maxQueries: 3 },
} as const satisfies Record<
  `${"posts" | "follows" | "sponsors" | "promotions" | "teamSettings" | "teamAnalytics"}.${string}`,
  Budget
>;
