import type { Budget } from "../budget.ts";

export const certificatesBudgets = {
  "certificates.verify": { category: "detail", maxQueries: 1, reads: "replica" },
} as const satisfies Record<`certificates.${string}`, Budget>;
