import type { Budget } from "../budget.ts";

export const tournamentsBudgets = {
  "tournaments.create": { category: "write", maxQueries: 9 },
  "tournaments.update": { category: "write", maxQueries: 10 },
  "tournaments.publish": { category: "write", maxQueries: 4 },
  "tournaments.openRegistration": { category: "write", maxQueries: 4 },
  "tournaments.closeRegistration": { category: "write", maxQueries: 4 },
  "tournaments.cancel": { category: "write", maxQueries: 6 },
  "tournaments.start": { category: "write", maxQueries: 9 },
  "tournaments.complete": { category: "write", maxQueries: 12 },
  "tournaments.standings": { category: "list", maxQueries: 2 },
  "tournaments.certificates": { category: "list", maxQueries: 2 },
  "tournaments.dashboard": { category: "dashboard", maxQueries: 2 },
  "tournaments.health": { category: "dashboard", maxQueries: 3 },
  "tournaments.remove": { category: "write", maxQueries: 4 },
  "tournaments.bySlug": { category: "detail", maxQueries: 2 },
  "tournaments.viewer": { category: "detail", maxQueries: 3 },
  "tournaments.list": { category: "list", maxQueries: 2, reads: "replica" },
} as const satisfies Record<`tournaments.${string}`, Budget>;
