import { social, socialAnalyticsPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `social/analytics` (crontab): the weekly analytics of every team for one week (default: the
 * current one), one set-based upsert. Page views come from the cache's view counter (Redis).
 */
export async function socialAnalytics(payload: unknown, deps: TaskDeps): Promise<void> {
  const { weekStart } = socialAnalyticsPayload.parse(payload ?? {});
  const viewTotals = (await deps.cache?.viewTotals("teamDetail")) ?? new Map<string, number>();
  await social.computeAnalytics(deps.db, { weekStart: weekStart ?? social.weekStartOf(new Date()), viewTotals });
}
