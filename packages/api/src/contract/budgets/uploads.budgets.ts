import type { Budget } from "../budget.ts";

export const uploadsBudgets = {
  "uploads.byId": { category: "detail", maxQueries: 2 },
} as const satisfies Record<`uploads.${string}`, Budget>;
