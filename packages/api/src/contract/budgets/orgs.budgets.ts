import type { Budget } from "../budget.ts";

export const orgsBudgets = {
  "orgs.create": { category: "write", maxQueries: 3 },
  "orgs.bySlug": { category: "detail", maxQueries: 1, reads: "replica" },
  "orgs.update": { category: "write", maxQueries: 5 },
  "orgs.delete": { category: "write", maxQueries: 5 },
  "orgs.members": { category: "list", maxQueries: 3 },
  "orgs.addMember": { category: "write", maxQueries: 4 },
  "orgs.changeMemberRole": { category: "write", maxQueries: 4 },
  "orgs.removeMember": { category: "write", maxQueries: 4 },
  // The contract's tighter budget for the org dashboard (≤ 8).
  "orgs.dashboard": { category: "dashboard", maxQueries: 8 },
} as const satisfies Record<`orgs.${string}`, Budget>;
