import type { Budget } from "../budget.ts";

export const rankingsBudgets = {
  // 0 on a cache hit; a miss: game + cached top (2); tier filter / beyond the top: game + page (2).
  "rankings.leaderboard": { category: "list", maxQueries: 2, reads: "replica" },
  "rankings.teamRank": { category: "detail", maxQueries: 2, reads: "replica" },
  "rankings.history": { category: "list", maxQueries: 2, reads: "replica" },
  "rankings.adjust": { category: "write", maxQueries: 4 },
} as const satisfies Record<`rankings.${string}`, Budget>;
