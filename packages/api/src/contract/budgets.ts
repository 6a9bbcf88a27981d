import type { Category } from "./categories.ts";

export interface Budget {
  category: Category;
  /** Ceiling enforced on every call (tests fail, production warns and counts). */
  maxQueries: number;
}

/**
 * One table of query budgets, keyed by procedure path. `budgets.check.ts` proves at compile
 * time that it has exactly one entry per procedure; the router-walk test proves it at run time.
 * Counts include the session lookup of authenticated calls.
 */
export const budgets = {
  "identity.signUp": { category: "write", maxQueries: 3 },
  "identity.signIn": { category: "write", maxQueries: 2 },
  "identity.signOut": { category: "write", maxQueries: 2 },
  "identity.me": { category: "detail", maxQueries: 1 },
  "games.list": { category: "list", maxQueries: 1 },
  "games.bySlug": { category: "detail", maxQueries: 1 },
  "teams.create": { category: "write", maxQueries: 5 },
  "teams.bySlug": { category: "detail", maxQueries: 2 },
  "teams.search": { category: "list", maxQueries: 1 },
  "teams.mine": { category: "list", maxQueries: 2 },
  "invites.send": { category: "write", maxQueries: 5 },
  "invites.mine": { category: "list", maxQueries: 2 },
  "invites.accept": { category: "write", maxQueries: 6 },
  "invites.decline": { category: "write", maxQueries: 4 },
} as const satisfies Record<string, Budget>;

export type BudgetedPath = keyof typeof budgets;
