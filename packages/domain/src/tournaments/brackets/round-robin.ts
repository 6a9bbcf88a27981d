import { participant, type PlannedMatch } from "./types.ts";

/**
 * The most entrants one round-robin group may hold: 32 make 496 matches. Without a cap one group
 * of 1,024 would generate 523,776 matches in one transaction.
 */
export const MAX_GROUP_SIZE = 32;

/** The group size `entrants` split into `groupCount` groups reaches (the largest group). */
export const largestGroup = (entrants: number, groupCount: number) =>
  Math.ceil(entrants / Math.max(1, Math.min(groupCount, Math.floor(entrants / 2))));

/** Splits seeds into `groupCount` groups, snake order, so every group gets a fair spread of seeds. */
export function snakeGroups(seeds: readonly number[], groupCount: number): number[][] {
  const groups: number[][] = Array.from(
    { length: Math.max(1, Math.min(groupCount, Math.floor(seeds.length / 2))) },
    () => [],
  );
  const g = groups.length;
  seeds.forEach((id, i) => {
    const lap = Math.floor(i / g);
    const index = lap % 2 === 0 ? i % g : g - 1 - (i % g);
    groups[index]!.push(id);
  });
  return groups;
}

/**
 * Round robin in groups (circle method): everyone in a group meets everyone else once; with an odd
 * group size one entrant sits out each round (no match is created for the sit-out).
 */
export function roundRobin(seeds: readonly number[], options: { groupCount: number }): PlannedMatch[] {
  if (seeds.length < 2) throw new Error("a round robin needs at least two participants");
  const matches: PlannedMatch[] = [];
  snakeGroups(seeds, options.groupCount).forEach((group, gi) => {
    const ring: (number | null)[] = group.length % 2 === 0 ? [...group] : [...group, null];
    const n = ring.length;
    for (let round = 1; round < n; round++) {
      let position = 0;
      for (let i = 0; i < n / 2; i++) {
        const x = ring[i];
        const y = ring[n - 1 - i];
        if (x == null || y == null) continue;
        position += 1;
        matches.push({
          key: `G${gi + 1}-R${round}-${position}`,
          bracket: "group",
          round,
          position: gi * 1000 + position,
          groupNo: gi + 1,
          a: participant(x),
          b: participant(y),
          next: null,
          loserNext: null,
        });
      }
      // Rotate all but the first.
      ring.splice(1, 0, ring.pop() ?? null);
    }
  });
  return matches;
}
