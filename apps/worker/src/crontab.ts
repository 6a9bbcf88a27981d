import { parseCrontab } from "graphile-worker";

/**
 * The worker's recurring jobs, one graphile-worker crontab line each, with a stable `id` so a
 * renamed or moved line keeps its schedule history. `fill` backfills a run missed while no worker
 * was up. Keep these few: a recurring task fans out to per-item jobs. Add lines here.
 */
export const crontabLines: readonly string[] = [
  // Minute 7 of every hour: pending invites past expires_at become 'expired'.
  `7 * * * * invites/expire ?id=invites-expire-hourly&fill=2h {"batchSize":500}`,
  // Every 5 min: fan out one leaderboard recompute per game (ranks, tiers, snapshot, Redis top 100).
  `*/5 * * * * rankings/leaderboards ?id=rankings-leaderboards-5min&max=3`,
  // 01:00 daily: CP decay of inactive teams (batched, resumable; run id = the date), in 2 lanes at once.
  `0 1 * * * rankings/decay ?id=rankings-decay-daily&fill=6h&max=5 {"inactiveDays":14,"percent":5,"batchSize":5000,"lanes":2}`,
  // Every 15 min: rewrite the cached pages of the 100 most viewed teams.
  `*/15 * * * * cache/warm-teams ?id=cache-warm-teams-15min&max=3`,
  // Minutes 23 and 43 of every hour: expired sessions, then stale wallet idempotency keys, in batches.
  `23 * * * * retention/sessions ?id=retention-sessions-hourly&max=3 {"batchSize":1000}`,
  `43 * * * * retention/idempotency-keys ?id=retention-idempotency-keys-hourly&max=3 {"batchSize":1000}`,
  // Every 5 min: achievements (CP milestones, tiers, hot streaks) of rankings changed in the last 15 min.
  `*/5 * * * * social/award-achievements ?id=social-achievements-5min&max=3 {"sinceMinutes":15}`,
  // Every 10 min: sponsors whose window began become active, ended ones drop off the team page.
  `*/10 * * * * social/sponsors ?id=social-sponsors-10min&max=3`,
  // Minute 37 of every hour: this week's team analytics (page views, followers, matches, CP).
  `37 * * * * social/analytics ?id=social-analytics-hourly&max=3`,
];

export const crontab = crontabLines.join("\n");

/** Parsed once at start-up: a malformed line stops the worker instead of silently never running. */
export const parsedCronItems = () => parseCrontab(crontab);
