import type { Budget } from "../budget.ts";

export const webhooksBudgets = {
  "webhooks.register": { category: "write", maxQueries: 4 },
  "webhooks.mine": { category: "list", maxQueries: 2 },
} as const satisfies Record<`webhooks.${string}`, Budget>;
