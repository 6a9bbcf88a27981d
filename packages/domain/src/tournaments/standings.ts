import type { TournamentFormat } from "@deltacrown/db";

export interface StandingMatch {
  bracket: string;
  round: number;
  state: string;
  side_a_id: number | null;
  side_b_id: number | null;
  score_a: number | null;
  score_b: number | null;
  winner_id: number | null;
}

export interface StandingRow {
  registrationId: number;
  placement: number;
  wins: number;
  losses: number;
  gameDifference: number;
  buchholz: number;
}

export type Tiebreaker = "headToHead" | "gameDifference" | "buchholz";
export const DEFAULT_TIEBREAKERS: Record<TournamentFormat, Tiebreaker[]> = {
  single_elimination: [],
  double_elimination: [],
  round_robin: ["headToHead", "gameDifference"],
  swiss: ["buchholz", "gameDifference", "headToHead"],
};

/** How far an elimination match is from the start: later matches place their players higher. */
function depth(m: StandingMatch, maxWinnersRound: number): number {
  switch (m.bracket) {
    case "winners":
      return m.round;
    case "third_place":
      return maxWinnersRound - 0.75; // after the semis, below the final
    case "losers":
      return m.round / 100; // in double elimination the losers bracket orders the eliminated
    case "grand_final":
      return 1000 + m.round;
    default:
      return m.round;
  }
}

/**
 * Standings of a tournament from its matches. Elimination formats: by the last match each entrant
 * played (won ranks above lost); entrants eliminated at the same stage share a placement. Round
 * robin and Swiss: wins, then the configured tiebreakers, then seed (registration id).
 */
export function computeStandings(
  format: TournamentFormat,
  entrants: readonly number[],
  matches: readonly StandingMatch[],
  tiebreakers: readonly Tiebreaker[] = DEFAULT_TIEBREAKERS[format],
): StandingRow[] {
  const stats = new Map(
    entrants.map((id) => [
      id,
      { registrationId: id, wins: 0, losses: 0, gameDifference: 0, buchholz: 0, last: -1, opponents: [] as number[] },
    ]),
  );
  const played = matches.filter((m) => m.state === "completed" && m.winner_id != null);
  const maxWinnersRound = Math.max(0, ...matches.filter((m) => m.bracket === "winners").map((m) => m.round));
  const beat = new Set<string>();
  for (const m of played) {
    const a = m.side_a_id == null ? undefined : stats.get(m.side_a_id);
    const b = m.side_b_id == null ? undefined : stats.get(m.side_b_id);
    const d = depth(m, maxWinnersRound);
    for (const [me, other, mine, theirs] of [
      [a, b, m.score_a, m.score_b],
      [b, a, m.score_b, m.score_a],
    ] as const) {
      if (!me) continue;
      const won = m.winner_id === me.registrationId;
      if (won) me.wins += 1;
      else me.losses += 1;
      if (other) {
        me.opponents.push(other.registrationId);
        me.gameDifference += (mine ?? 0) - (theirs ?? 0);
        if (won) beat.add(`${me.registrationId}>${other.registrationId}`);
      }
      me.last = Math.max(me.last, d + (won ? 0.5 : 0));
    }
  }
  for (const s of stats.values()) s.buchholz = s.opponents.reduce((sum, o) => sum + (stats.get(o)?.wins ?? 0), 0);
  const rows = [...stats.values()];
  const elimination = format === "single_elimination" || format === "double_elimination";
  const compare = (x: (typeof rows)[number], y: (typeof rows)[number]): number => {
    if (elimination) return y.last - x.last;
    if (x.wins !== y.wins) return y.wins - x.wins;
    for (const t of tiebreakers) {
      if (t === "gameDifference" && x.gameDifference !== y.gameDifference) return y.gameDifference - x.gameDifference;
      if (t === "buchholz" && x.buchholz !== y.buchholz) return y.buchholz - x.buchholz;
      if (t === "headToHead") {
        if (beat.has(`${x.registrationId}>${y.registrationId}`)) return -1;
        if (beat.has(`${y.registrationId}>${x.registrationId}`)) return 1;
      }
    }
    return 0;
  };
  rows.sort((x, y) => compare(x, y) || x.registrationId - y.registrationId);
  return rows.map((r, i) => {
    // Elimination: ties share the better placement (e.g. both losing semi-finalists are 3rd).
    let placement = i + 1;
    if (elimination) {
      let j = i;
      while (j > 0 && compare(rows[j - 1]!, r) === 0) j -= 1;
      placement = j + 1;
    }
    return {
      registrationId: r.registrationId,
      placement,
      wins: r.wins,
      losses: r.losses,
      gameDifference: r.gameDifference,
      buchholz: r.buchholz,
    };
  });
}
