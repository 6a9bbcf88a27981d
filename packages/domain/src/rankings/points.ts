/**
 * The rankings' tables, in one place.
 *
 * Tournament award = PLACEMENT_POINTS[placement band] × TOURNAMENT_TIER_MULTIPLIER[tier], rounded.
 *
 * | placement | base CP |      | tournament tier          | ×    |
 * | --------- | ------- |      | ------------------------ | ---- |
 * | 1         | 1000    |      | s / premier              | 2    |
 * | 2         | 700     |      | a / major                | 1.5  |
 * | 3–4       | 500     |      | b / standard (default)   | 1    |
 * | 5–8       | 300     |      | c / minor                | 0.75 |
 * | 9–16      | 150     |      | d / community            | 0.5  |
 * | 17+       | 50      |
 *
 * Tiers by CP (the leaderboard job recomputes them): Crown ≥ 5000, Diamond ≥ 3000,
 * Platinum ≥ 1800, Gold ≥ 1000, Silver ≥ 500, Bronze ≥ 100, otherwise unranked.
 */
export const PLACEMENT_POINTS: readonly { upTo: number; cp: number }[] = [
  { upTo: 1, cp: 1000 },
  { upTo: 2, cp: 700 },
  { upTo: 4, cp: 500 },
  { upTo: 8, cp: 300 },
  { upTo: 16, cp: 150 },
  { upTo: Number.POSITIVE_INFINITY, cp: 50 },
];

export const TOURNAMENT_TIER_MULTIPLIER: Readonly<Record<string, number>> = {
  s: 2,
  premier: 2,
  a: 1.5,
  major: 1.5,
  b: 1,
  standard: 1,
  c: 0.75,
  minor: 0.75,
  d: 0.5,
  community: 0.5,
};

/** CP for a match win (a ledger row keyed by the match id), on top of the hot streak. */
export const MATCH_WIN_CP = 10;

export function placementCp(placement: number, tournamentTier: string): number {
  const base = PLACEMENT_POINTS.find((p) => placement <= p.upTo)?.cp ?? 0;
  const multiplier = TOURNAMENT_TIER_MULTIPLIER[tournamentTier.toLowerCase()] ?? 1;
  return Math.round(base * multiplier);
}

/** Highest first; a team's tier is the first whose threshold its CP reaches. */
export const TIERS = [
  { tier: "crown", minCp: 5000 },
  { tier: "diamond", minCp: 3000 },
  { tier: "platinum", minCp: 1800 },
  { tier: "gold", minCp: 1000 },
  { tier: "silver", minCp: 500 },
  { tier: "bronze", minCp: 100 },
] as const;
export const UNRANKED = "unranked";
export const TIER_NAMES = [...TIERS.map((t) => t.tier), UNRANKED] as const;
export type TierName = (typeof TIER_NAMES)[number];

export function tierFor(cp: number): TierName {
  return TIERS.find((t) => cp >= t.minCp)?.tier ?? UNRANKED;
}

/** The same table as SQL, built from the constants above (never from input). */
export function tierCaseSql(column: string): string {
  return `case ${TIERS.map((t) => `when ${column} >= ${t.minCp} then '${t.tier}'`).join(" ")} else '${UNRANKED}' end`;
}

/** Decay: teams inactive for `inactiveDays` lose `percent`% of their CP (at least 1) once a day. */
export interface DecayConfig {
  inactiveDays: number;
  percent: number;
  batchSize: number;
  /**
   * Runs of batches at once, each over the rankings whose id % lanes is its lane (its own progress
   * row): one lane is one core's worth of writes, so 2 lanes use both cores of the worker's database.
   */
  lanes: number;
}
export const defaultDecayConfig: DecayConfig = { inactiveDays: 14, percent: 5, batchSize: 5000, lanes: 1 };
