import type { Budget } from "../budget.ts";

export const registrationsBudgets = {
  "registrations.register": { category: "form", maxQueries: 4 },
  "registrations.withdraw": { category: "write", maxQueries: 12 },
  "registrations.review": { category: "write", maxQueries: 12 },
  "registrations.reorderWaitlist": { category: "write", maxQueries: 5 },
  "registrations.setSeed": { category: "write", maxQueries: 4 },
  "registrations.submitPayment": { category: "write", maxQueries: 6 },
  "registrations.reviewPayment": { category: "write", maxQueries: 6 },
  "registrations.checkIn": { category: "write", maxQueries: 6 },
  "registrations.list": { category: "list", maxQueries: 2 },
  "registrations.manage": { category: "list", maxQueries: 3 },
  "registrations.byId": { category: "detail", maxQueries: 2 },
} as const satisfies Record<`registrations.${string}`, Budget>;
