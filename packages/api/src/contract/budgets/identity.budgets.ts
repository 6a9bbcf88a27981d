import type { Budget } from "../budget.ts";

export const identityBudgets = {
  "identity.signUp": { category: "write", maxQueries: 3 },
  "identity.signIn": { category: "write", maxQueries: 2 },
  "identity.signOut": { category: "write", maxQueries: 2 },
  "identity.me": { category: "detail", maxQueries: 1 },
} as const satisfies Record<`identity.${string}`, Budget>;
