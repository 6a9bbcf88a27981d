import { participant, type PlannedMatch } from "./types.ts";

export interface SwissEntrant {
  id: number;
  score: number;
  /** Seed order (lower is better), the tiebreak for pairing. */
  seed: number;
  opponents: ReadonlySet<number>;
  hadBye: boolean;
}

/** Rounds a Swiss needs to find a single undefeated entrant: ceil(log2 n). */
export const swissRoundsFor = (n: number): number => Math.max(1, Math.ceil(Math.log2(n)));

/**
 * Pairs one Swiss round: entrants sorted by score (then seed), each paired with the nearest
 * entrant below it they have not met (backtracking when a choice strands someone). With an odd
 * count the lowest-ranked entrant without a bye yet sits out and scores the bye. Returns null only
 * if no rematch-free pairing exists.
 */
export function pairSwissRound(
  entrants: readonly SwissEntrant[],
  round: number,
): { matches: PlannedMatch[]; bye: number | null } | null {
  const ranked = [...entrants].sort((x, y) => y.score - x.score || x.seed - y.seed);
  const byeCandidates = ranked.length % 2 === 1 ? [...ranked].reverse().filter((e) => !e.hadBye) : [null];
  for (const byeEntrant of byeCandidates.length ? byeCandidates : [ranked.at(-1) ?? null]) {
    const pool = ranked.filter((e) => e !== byeEntrant);
    const pairs = pairUp(pool);
    if (!pairs) continue;
    const matches = pairs.map(([x, y], i): PlannedMatch => ({
      key: `S${round}-${i + 1}`,
      bracket: "swiss",
      round,
      position: i + 1,
      groupNo: null,
      a: participant(x.id),
      b: participant(y.id),
      next: null,
      loserNext: null,
    }));
    return { matches, bye: byeEntrant?.id ?? null };
  }
  return null;
}

function pairUp(pool: readonly SwissEntrant[]): [SwissEntrant, SwissEntrant][] | null {
  if (pool.length === 0) return [];
  const [first, ...rest] = pool;
  for (let i = 0; i < rest.length; i++) {
    const other = rest[i]!;
    if (first!.opponents.has(other.id)) continue;
    const tail = pairUp([...rest.slice(0, i), ...rest.slice(i + 1)]);
    if (tail) return [[first!, other], ...tail];
  }
  return null;
}
