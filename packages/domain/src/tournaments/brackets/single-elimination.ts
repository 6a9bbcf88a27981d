import { resolveByes } from "./byes.ts";
import { nextPowerOfTwo, seedOrder } from "./seeding.ts";
import { BYE, loserOf, participant, winnerOf, type PlannedMatch } from "./types.ts";

export const wKey = (round: number, position: number) => `W${round}-${position}`;

/**
 * The winners bracket of a power-of-two size with standard seeding; byes (for any count) fill the
 * slots past the last seed. Returns the matches before bye resolution.
 */
export function winnersBracket(seeds: readonly number[]): { matches: PlannedMatch[]; rounds: number } {
  const size = Math.max(2, nextPowerOfTwo(seeds.length));
  const order = seedOrder(size);
  const rounds = Math.log2(size);
  const matches: PlannedMatch[] = [];
  for (let round = 1; round <= rounds; round++) {
    const count = size / 2 ** round;
    for (let i = 0; i < count; i++) {
      const position = i + 1;
      const slotOf = (seedPos: number) => {
        const id = seeds[(order[seedPos] ?? 0) - 1];
        return id === undefined ? BYE : participant(id);
      };
      matches.push({
        key: wKey(round, position),
        bracket: "winners",
        round,
        position,
        groupNo: null,
        a: round === 1 ? slotOf(2 * i) : winnerOf(wKey(round - 1, 2 * i + 1)),
        b: round === 1 ? slotOf(2 * i + 1) : winnerOf(wKey(round - 1, 2 * i + 2)),
        next:
          round < rounds
            ? { key: wKey(round + 1, Math.ceil(position / 2)), slot: position % 2 === 1 ? "a" : "b" }
            : null,
        loserNext: null,
      });
    }
  }
  return { matches, rounds };
}

/** Single elimination for any number of participants (≥ 2), with an optional third-place match. */
export function singleElimination(seeds: readonly number[], options: { thirdPlace: boolean }): PlannedMatch[] {
  if (seeds.length < 2) throw new Error("a bracket needs at least two participants");
  const { matches, rounds } = winnersBracket(seeds);
  if (options.thirdPlace && rounds >= 2) {
    const semis = matches.filter((m) => m.round === rounds - 1);
    const third: PlannedMatch = {
      key: "T1-1",
      bracket: "third_place",
      round: 1,
      position: 1,
      groupNo: null,
      a: loserOf(semis[0]!.key),
      b: loserOf(semis[1]!.key),
      next: null,
      loserNext: null,
    };
    semis[0]!.loserNext = { key: third.key, slot: "a" };
    semis[1]!.loserNext = { key: third.key, slot: "b" };
    matches.push(third);
  }
  return resolveByes(matches);
}
