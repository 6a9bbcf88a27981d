import type { Budget } from "../budget.ts";

export const invitesBudgets = {
  "invites.send": { category: "write", maxQueries: 6 },
  "invites.mine": { category: "list", maxQueries: 2 },
  "invites.accept": { category: "write", maxQueries: 8 },
  "invites.decline": { category: "write", maxQueries: 4 },
  "invites.revoke": { category: "write", maxQueries: 4 },
} as const satisfies Record<`invites.${string}`, Budget>;
