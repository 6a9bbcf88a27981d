import type { Budget } from "../budget.ts";

export const teamsBudgets = {
  "teams.create": { category: "write", maxQueries: 5 },
  "teams.bySlug": { category: "detail", maxQueries: 2 },
  "teams.search": { category: "list", maxQueries: 1 },
  "teams.mine": { category: "list", maxQueries: 2 },
} as const satisfies Record<`teams.${string}`, Budget>;
