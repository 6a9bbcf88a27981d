/**
 * Seed positions of a bracket of `size` (a power of two): 1 meets `size`, 2 meets `size - 1`, and the
 * top seeds can only meet in the last rounds. [1, 8, 4, 5, 2, 7, 3, 6] for 8.
 */
export function seedOrder(size: number): number[] {
  let order = [1];
  while (order.length < size) {
    const n = order.length * 2;
    order = order.flatMap((s) => [s, n + 1 - s]);
  }
  return order;
}

export const nextPowerOfTwo = (n: number): number => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};

export interface Seedable {
  id: number;
  /** Registration order (creation time, then id). */
  order: number;
  /** Manual seed set by the organizer, if any. */
  seed: number | null;
  /** The team's ranking points, for seeding by ranking. */
  cp: number | null;
}

/** Participants in seed order (best first) by registration order, manual seeds, or ranking (CP). */
export function seedParticipants(list: readonly Seedable[], method: "registration" | "manual" | "ranking"): number[] {
  const byOrder = (x: Seedable, y: Seedable) => x.order - y.order || x.id - y.id;
  const sorted = [...list].sort((x, y) => {
    if (method === "manual") {
      // Seeded entries first (by seed), the rest in registration order.
      if (x.seed != null && y.seed != null && x.seed !== y.seed) return x.seed - y.seed;
      if ((x.seed == null) !== (y.seed == null)) return x.seed == null ? 1 : -1;
    }
    if (method === "ranking" && (x.cp ?? 0) !== (y.cp ?? 0)) return (y.cp ?? 0) - (x.cp ?? 0);
    return byOrder(x, y);
  });
  return sorted.map((p) => p.id);
}
