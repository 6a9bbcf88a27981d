import type { Budget } from "../budget.ts";

export const gamesBudgets = {
  "games.list": { category: "list", maxQueries: 1, reads: "replica" },
  "games.bySlug": { category: "detail", maxQueries: 1, reads: "replica" },
} as const satisfies Record<`games.${string}`, Budget>;
