import { z } from "zod";

/**
 * Awards achievements (social/award-achievements.ts). With `tournament`: its podium, enqueued by
 * the CP award of a completed tournament with jobKey `achievements:tournament:<id>`. Without:
 * the recurring scan (crontab) of rankings changed in the last `sinceMinutes` for CP milestones,
 * tiers and hot streaks. The unique (team_id, kind, key) makes any rerun a no-op.
 */
export const socialAwardAchievementsPayload = z
  .object({
    tournament: z
      .object({
        id: z.number().int().positive(),
        name: z.string().max(200).optional(),
        placements: z.array(z.object({ teamId: z.number().int().positive(), placement: z.number().int().positive() })),
      })
      .optional(),
    sinceMinutes: z.number().int().min(1).max(10_080).default(15),
  })
  .passthrough();
export type SocialAwardAchievementsPayload = z.output<typeof socialAwardAchievementsPayload>;

/** Activates approved sponsors whose start came and ends those whose end passed. */
export const socialSponsorsPayload = z.object({}).passthrough();

/** Recomputes the weekly analytics of every team for `weekStart` (a Monday; default: this week). */
export const socialAnalyticsPayload = z
  .object({
    weekStart: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
  })
  .passthrough();

export const socialJobs = {
  "social/award-achievements": socialAwardAchievementsPayload,
  "social/sponsors": socialSponsorsPayload,
  "social/analytics": socialAnalyticsPayload,
} as const;
