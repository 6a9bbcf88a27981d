import type { Budget } from "../budget.ts";

export const notificationsBudgets = {
  "notifications.list": { category: "list", maxQueries: 2 },
  "notifications.markRead": { category: "write", maxQueries: 2 },
  "notifications.unreadCount": { category: "detail", maxQueries: 2 },
} as const satisfies Record<`notifications.${string}`, Budget>;
