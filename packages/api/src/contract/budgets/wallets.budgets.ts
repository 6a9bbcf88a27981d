import type { Budget } from "../budget.ts";

export const walletsBudgets = {
  "wallets.balance": { category: "detail", maxQueries: 2 },
  "wallets.transfer": { category: "write", maxQueries: 2 },
  "wallets.history": { category: "list", maxQueries: 2 },
  "wallets.mint": { category: "write", maxQueries: 4 },
} as const satisfies Record<`wallets.${string}`, Budget>;
