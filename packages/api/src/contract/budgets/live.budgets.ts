import type { Budget } from "../budget.ts";

/** Subscriptions: the statements run before the stream opens (session, permission check). */
export const liveBudgets = {
  "live.notifications": { category: "detail", maxQueries: 1 },
  "live.team": { category: "detail", maxQueries: 2 },
  // The viewer's session when a token is sent (a draft shows to its organizers), then the tournament.
  "live.tournament": { category: "detail", maxQueries: 2 },
} as const satisfies Record<`live.${string}`, Budget>;
