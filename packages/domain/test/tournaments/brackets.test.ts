import { describe, expect, it } from "vitest";
import {
  doubleElimination,
  GRAND_FINAL,
  GRAND_FINAL_RESET,
  pairSwissRound,
  roundRobin,
  seedOrder,
  seedParticipants,
  singleElimination,
  swissRoundsFor,
  type PlannedMatch,
  type SwissEntrant,
} from "../../src/tournaments/brackets/index.ts";
import { playBracket } from "./simulate.ts";

const COUNTS = [2, 3, 4, 5, 6, 7, 8, 9, 16, 17];
const ids = (n: number) => Array.from({ length: n }, (_, i) => 101 + i); // seed i+1 → id 101+i
const better = (a: number, b: number) => Math.min(a, b); // the better seed always wins
const worse = (a: number, b: number) => Math.max(a, b); // upsets everywhere

function noByesLeft(matches: readonly PlannedMatch[]) {
  for (const m of matches) {
    expect(m.a.kind).not.toBe("bye");
    expect(m.b.kind).not.toBe("bye");
  }
  expect(new Set(matches.map((m) => m.key)).size).toBe(matches.length);
}

describe("seeding", () => {
  it("places seeds so that 1 and 2 can only meet in the final", () => {
    expect(seedOrder(8)).toEqual([1, 8, 4, 5, 2, 7, 3, 6]);
    expect(seedOrder(2)).toEqual([1, 2]);
  });
  it("orders by registration, manual seed, or CP", () => {
    const list = [
      { id: 1, order: 3, seed: null, cp: 50 },
      { id: 2, order: 1, seed: 2, cp: 10 },
      { id: 3, order: 2, seed: 1, cp: 900 },
    ];
    expect(seedParticipants(list, "registration")).toEqual([2, 3, 1]);
    expect(seedParticipants(list, "manual")).toEqual([3, 2, 1]);
    expect(seedParticipants(list, "ranking")).toEqual([3, 1, 2]);
  });
});

describe("single elimination", () => {
  for (const n of COUNTS) {
    it(`${n} entrants: n - 1 matches, byes advanced, everyone but the champion loses once`, () => {
      const seeds = ids(n);
      const matches = singleElimination(seeds, { thirdPlace: false });
      noByesLeft(matches);
      expect(matches).toHaveLength(n - 1);
      for (const pick of [better, worse]) {
        const { losses, unplayed, results } = playBracket(matches, pick);
        expect(unplayed).toEqual([]);
        expect([...losses.values()].every((l) => l === 1)).toBe(true);
        expect(losses.size).toBe(n - 1);
        const final = matches.find((m) => m.next === null)!;
        if (pick === better) expect(results.get(final.key)!.winner).toBe(101);
      }
    });
  }
  for (const n of [4, 5, 6, 7, 9, 17]) {
    it(`${n} entrants with a third-place match between the semi-final losers`, () => {
      const matches = singleElimination(ids(n), { thirdPlace: true });
      noByesLeft(matches);
      expect(matches).toHaveLength(n);
      const third = matches.find((m) => m.bracket === "third_place")!;
      const { results, unplayed } = playBracket(matches, better);
      expect(unplayed).toEqual([]);
      expect(results.get(third.key)!.winner).toBe(103); // seeds 1, 2 in the final, 3 beats 4
    });
  }
});

describe("double elimination", () => {
  for (const n of COUNTS) {
    it(`${n} entrants: everyone but the champion loses exactly twice; reset played only when needed`, () => {
      const matches = doubleElimination(ids(n), { grandFinalReset: true });
      noByesLeft(matches);
      // The favourite wins everything: the reset is not played (2n - 2 matches).
      const fav = playBracket(matches, better, (m, r) => m.key === GRAND_FINAL_RESET && r.get(GRAND_FINAL)!.fromA);
      expect(fav.played).toHaveLength(2 * n - 2);
      expect(fav.results.get(GRAND_FINAL)!.winner).toBe(101);
      expect([...fav.losses.entries()].filter(([, l]) => l === 2)).toHaveLength(n - 1);
      expect(fav.losses.get(101)).toBeUndefined();
      // Upsets: the losers-bracket finalist takes GF-1, so the reset is played (2n - 1 matches).
      const upset = playBracket(
        matches,
        (a, b, m) => (m.key === GRAND_FINAL ? (m.b.kind === "participant" ? m.b.id : b) : better(a, b)),
        (m, r) => m.key === GRAND_FINAL_RESET && r.get(GRAND_FINAL)!.fromA,
      );
      expect(upset.unplayed).toEqual([]);
      expect(upset.played).toHaveLength(2 * n - 1);
      for (const [, l] of upset.losses) expect(l).toBeLessThanOrEqual(2);
      const eliminated = [...upset.losses.values()].filter((l) => l === 2).length;
      expect(eliminated).toBe(n - 1);
    });
  }
  it("without a reset the grand final decides it", () => {
    const matches = doubleElimination(ids(6), { grandFinalReset: false });
    expect(matches.find((m) => m.key === GRAND_FINAL_RESET)).toBeUndefined();
    expect(playBracket(matches, worse).played).toHaveLength(2 * 6 - 2);
  });
});

describe("round robin", () => {
  for (const n of COUNTS) {
    it(`${n} entrants in one group: each pair meets exactly once`, () => {
      const matches = roundRobin(ids(n), { groupCount: 1 });
      expect(matches).toHaveLength((n * (n - 1)) / 2);
      const pairs = new Set(
        matches.map((m) =>
          [m.a, m.b]
            .map((s) => (s.kind === "participant" ? s.id : 0))
            .sort()
            .join("-"),
        ),
      );
      expect(pairs.size).toBe(matches.length);
      // Nobody plays twice in one round.
      for (const round of new Set(matches.map((m) => m.round))) {
        const inRound = matches.filter((m) => m.round === round).flatMap((m) => [m.a, m.b]);
        expect(new Set(inRound.map((s) => JSON.stringify(s))).size).toBe(inRound.length);
      }
    });
  }
  it("17 entrants in 4 groups (snake-seeded): groups of 5, 4, 4, 4", () => {
    const matches = roundRobin(ids(17), { groupCount: 4 });
    const sizes = [1, 2, 3, 4].map(
      (g) =>
        new Set(matches.filter((m) => m.groupNo === g).flatMap((m) => [JSON.stringify(m.a), JSON.stringify(m.b)])).size,
    );
    expect(sizes.sort()).toEqual([4, 4, 4, 5]);
    expect(matches).toHaveLength(10 + 6 * 3);
  });
});

describe("swiss", () => {
  for (const n of COUNTS) {
    it(`${n} entrants over ${swissRoundsFor(n)} rounds: no rematches, pairing by score, one bye a round if odd`, () => {
      const entrants = new Map<number, SwissEntrant & { opponents: Set<number> }>(
        ids(n).map((id, i) => [id, { id, score: 0, seed: i + 1, opponents: new Set<number>(), hadBye: false }]),
      );
      for (let round = 1; round <= swissRoundsFor(n); round++) {
        const paired = pairSwissRound([...entrants.values()], round);
        expect(paired).not.toBeNull();
        const { matches, bye } = paired!;
        expect(matches).toHaveLength(Math.floor(n / 2));
        expect(bye === null).toBe(n % 2 === 0);
        const scores = matches.map((m) => {
          const [a, b] = [m.a, m.b].map((s) => entrants.get((s as { id: number }).id)!);
          expect(a!.opponents.has(b!.id)).toBe(false);
          return [a!.score, b!.score];
        });
        // Top table pairs the leaders: first match holds the best score available.
        const best = Math.max(...[...entrants.values()].filter((e) => e.id !== bye).map((e) => e.score));
        expect(scores[0]![0]).toBe(best);
        for (const m of matches) {
          const a = entrants.get((m.a as { id: number }).id)!;
          const b = entrants.get((m.b as { id: number }).id)!;
          a.opponents.add(b.id);
          b.opponents.add(a.id);
          (a.seed < b.seed ? a : b).score += 1;
        }
        if (bye !== null) {
          const e = entrants.get(bye)!;
          expect(e.hadBye).toBe(false);
          e.hadBye = true;
          e.score += 1;
        }
      }
    });
  }
});
