import { resolveByes } from "./byes.ts";
import { winnersBracket, wKey } from "./single-elimination.ts";
import { loserOf, winnerOf, type PlannedMatch, type SlotSource } from "./types.ts";

const lKey = (round: number, position: number) => `L${round}-${position}`;
export const GRAND_FINAL = "GF-1";
export const GRAND_FINAL_RESET = "GF-2";

/**
 * Double elimination for any number of participants (≥ 2): the winners bracket, a losers bracket
 * fed by every winners round (drop-in order alternated to delay rematches), and a grand final
 * whose optional reset (GF-2) is played only if the losers-bracket finalist wins GF-1.
 */
export function doubleElimination(seeds: readonly number[], options: { grandFinalReset: boolean }): PlannedMatch[] {
  if (seeds.length < 2) throw new Error("a bracket needs at least two participants");
  const { matches, rounds: k } = winnersBracket(seeds);
  const byKey = new Map(matches.map((m) => [m.key, m]));
  const size = 2 ** k;
  const add = (m: PlannedMatch, a: SlotSource, b: SlotSource) => {
    m.a = a;
    m.b = b;
    matches.push(m);
    byKey.set(m.key, m);
    for (const [slot, src] of [
      ["a", a],
      ["b", b],
    ] as const) {
      if (src.kind !== "winner" && src.kind !== "loser") continue;
      const from = byKey.get(src.of)!;
      if (src.kind === "winner") from.next = { key: m.key, slot };
      else from.loserNext = { key: m.key, slot };
    }
  };
  const blank = (key: string, bracket: PlannedMatch["bracket"], round: number, position: number): PlannedMatch => ({
    key,
    bracket,
    round,
    position,
    groupNo: null,
    a: { kind: "bye" },
    b: { kind: "bye" },
    next: null,
    loserNext: null,
  });

  let losersChampion: SlotSource = loserOf(wKey(1, 1)); // two entrants: the final's loser goes straight to GF
  if (k >= 2) {
    // L1: losers of W1, in pairs.
    let previous: string[] = [];
    for (let i = 0; i < size / 4; i++) {
      const key = lKey(1, i + 1);
      add(blank(key, "losers", 1, i + 1), loserOf(wKey(1, 2 * i + 1)), loserOf(wKey(1, 2 * i + 2)));
      previous.push(key);
    }
    let lRound = 1;
    for (let j = 1; j <= k - 1; j++) {
      // Drop-in round: survivors meet the losers of winners round j + 1 (reversed every other round).
      lRound += 1;
      const dropping = Array.from({ length: size / 2 ** (j + 1) }, (_, i) => wKey(j + 1, i + 1));
      if (j % 2 === 1) dropping.reverse();
      const current: string[] = [];
      previous.forEach((survivor, i) => {
        const key = lKey(lRound, i + 1);
        add(blank(key, "losers", lRound, i + 1), winnerOf(survivor), loserOf(dropping[i]!));
        current.push(key);
      });
      previous = current;
      if (j === k - 1) break;
      // Consolidation round: survivors pair up.
      lRound += 1;
      const paired: string[] = [];
      for (let i = 0; i < previous.length / 2; i++) {
        const key = lKey(lRound, i + 1);
        add(blank(key, "losers", lRound, i + 1), winnerOf(previous[2 * i]!), winnerOf(previous[2 * i + 1]!));
        paired.push(key);
      }
      previous = paired;
    }
    losersChampion = winnerOf(previous[0]!);
  }
  add(blank(GRAND_FINAL, "grand_final", 1, 1), winnerOf(wKey(k, 1)), losersChampion);
  if (options.grandFinalReset)
    add(blank(GRAND_FINAL_RESET, "grand_final", 2, 1), winnerOf(GRAND_FINAL), loserOf(GRAND_FINAL));
  return resolveByes(matches);
}
