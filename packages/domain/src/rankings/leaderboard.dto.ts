export interface LeaderboardEntryDto {
  rank: number;
  /** Rank at the previous recompute (null for a newcomer): the client shows movement. */
  previousRank: number | null;
  teamId: number;
  teamSlug: string;
  teamName: string;
  teamTag: string | null;
  cp: number;
  tier: string;
}

/** The cached top of a game's board, as the leaderboard job writes it. */
export interface LeaderboardTop {
  gameId: number;
  computedAt: string;
  entries: LeaderboardEntryDto[];
}

export interface LeaderboardPage {
  gameSlug: string;
  computedAt: string | null;
  entries: LeaderboardEntryDto[];
  /** Opaque keyset cursor `<rank>.<teamId>` for the next page, or null at the end. */
  nextCursor: string | null;
}

export const LEADERBOARD_TOP = 100;
