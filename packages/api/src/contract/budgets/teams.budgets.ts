import type { Budget } from "../budget.ts";

export const teamsBudgets = {
  "teams.create": { category: "write", maxQueries: 5 },
  "teams.bySlug": { category: "detail", maxQueries: 2, reads: "replica" },
  "teams.search": { category: "list", maxQueries: 1, reads: "replica" },
  "teams.mine": { category: "list", maxQueries: 2 },
  "teams.viewer": { category: "detail", maxQueries: 2 },
  "teams.update": { category: "write", maxQueries: 5 },
  "teams.disband": { category: "write", maxQueries: 6 },
  "teams.removeMember": { category: "write", maxQueries: 6 },
  "teams.changeRole": { category: "write", maxQueries: 6 },
  "teams.leave": { category: "write", maxQueries: 4 },
  "teams.transferOwnership": { category: "write", maxQueries: 6 },
  "teams.setImages": { category: "write", maxQueries: 6 },
} as const satisfies Record<`teams.${string}`, Budget>;
