/**
 * Live channel names. Subscribing checks permissions per channel kind (see the live router):
 * a user's channel only for that user, a team's for its members, a tournament's for anyone who
 * may see the tournament.
 */
export const liveChannels = {
  userNotifications: (userId: number) => `user:${userId}:notifications`,
  team: (teamId: number) => `team:${teamId}`,
  /** Match updates and bracket changes of one tournament (published by the tournaments context). */
  tournament: (tournamentId: number) => `tournament:${tournamentId}`,
} as const;
