import type { Budget } from "../budget.ts";

export const matchesBudgets = {
  "matches.list": { category: "list", maxQueries: 2 },
  "matches.byId": { category: "detail", maxQueries: 2 },
  "matches.report": { category: "write", maxQueries: 5 },
  "matches.resolve": { category: "write", maxQueries: 7 },
  "matches.nextSwissRound": { category: "write", maxQueries: 6 },
} as const satisfies Record<`matches.${string}`, Budget>;
