import { z } from "zod";

/**
 * Enqueued by the tournaments context when a tournament completes, with jobKey
 * `award:tournament:<id>`. The ledger's unique (source_type, source_id, team_id) makes a second
 * award impossible even if the job runs twice.
 */
export const rankingsAwardTournamentPayload = z.object({
  tournamentId: z.number().int().positive(),
  gameId: z.number().int().positive(),
  tier: z.string().min(1),
  placements: z.array(z.object({ teamId: z.number().int().positive(), placement: z.number().int().positive() })),
});
export type RankingsAwardTournamentPayload = z.infer<typeof rankingsAwardTournamentPayload>;

/** Fan-out: one recurring job enqueues one recompute per game. */
export const rankingsLeaderboardsPayload = z.object({}).passthrough();
/** Recompute ranks, tiers and the snapshot of one game, then write its top 100 to Redis. */
export const rankingsLeaderboardPayload = z.object({ gameId: z.number().int().positive() });
/**
 * Daily decay; `runId` (default: the UTC date) names the run so a crashed run resumes where it
 * stopped. The period and rate are configurable per crontab line.
 */
export const rankingsDecayPayload = z
  .object({
    runId: z.string().min(1).optional(),
    inactiveDays: z.number().int().positive().optional(),
    percent: z.number().int().min(1).max(100).optional(),
    batchSize: z.number().int().min(1).max(100_000).optional(),
    /** Batch chains run at once (each over the rankings whose id % lanes = its lane). */
    lanes: z.number().int().min(1).max(16).optional(),
    /** This job's lane; absent on the crontab's job, which then enqueues one job per lane. */
    lane: z.number().int().min(0).max(15).optional(),
  })
  .passthrough();
/** Warms the cached top teams (by views). */
export const cacheWarmTeamsPayload = z.object({}).passthrough();

export const rankingsJobs = {
  "rankings/award-tournament": rankingsAwardTournamentPayload,
  "rankings/leaderboards": rankingsLeaderboardsPayload,
  "rankings/leaderboard": rankingsLeaderboardPayload,
  "rankings/decay": rankingsDecayPayload,
  "cache/warm-teams": cacheWarmTeamsPayload,
} as const;
