export * from "./points.ts";
export { applyLedger, recomputeAndCompare, type AppliedChange, type CpDrift, type LedgerChange } from "./ledger.ts";
export { awardTournament, recordMatchResult, type MatchResultInput } from "./awards.ts";
export { adjustCp, type AdjustCpInput, type AdjustCpResult } from "./adjust.ts";
export { recomputeLeaderboard, selectLeaderboardTop, type LeaderboardRecompute } from "./leaderboard.job.ts";
export * from "./leaderboard.dto.ts";
export * from "./leaderboard.service.ts";
export { runDecay, runDecayBatch, type DecayBatchResult, type DecayOptions, type DecayResult } from "./decay.ts";
export { warmTopTeams, TEAM_VIEWS_KEY } from "./warm-teams.ts";
