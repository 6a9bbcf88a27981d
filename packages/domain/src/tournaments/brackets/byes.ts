import type { PlannedMatch, SlotSource, Target } from "./types.ts";

const isBye = (s: SlotSource) => s.kind === "bye";
const concrete = (s: SlotSource) => s.kind === "participant" || s.kind === "bye";

/**
 * Removes every match that has a bye on one side, so a bracket of any size keeps only real
 * matches: the present side goes straight to where the winner goes (and a bye to where the loser
 * goes); when the present side is still undecided, the match that decides it is re-pointed past
 * the removed one. Runs to a fixpoint; the result has no bye anywhere.
 */
export function resolveByes(input: readonly PlannedMatch[]): PlannedMatch[] {
  const matches = new Map(input.map((m) => [m.key, { ...m }]));
  const setSlot = (target: Target | null, source: SlotSource) => {
    if (!target) return;
    const t = matches.get(target.key);
    if (t) t[target.slot] = source;
  };
  /** Re-point whichever pointer of match `from.of` feeds `oldTarget` to `newTarget`. */
  const repoint = (from: SlotSource, newTarget: Target | null) => {
    if (from.kind !== "winner" && from.kind !== "loser") return;
    const m = matches.get(from.of);
    if (!m) return;
    if (from.kind === "winner") m.next = newTarget;
    else m.loserNext = newTarget;
    setSlot(newTarget, from);
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const m of matches.values()) {
      if (!isBye(m.a) && !isBye(m.b)) continue;
      const present = isBye(m.a) ? m.b : m.a;
      if (concrete(present)) {
        setSlot(m.next, present);
        setSlot(m.loserNext, { kind: "bye" });
      } else {
        repoint(present, m.next);
        setSlot(m.loserNext, { kind: "bye" });
      }
      matches.delete(m.key);
      changed = true;
    }
  }
  return [...matches.values()];
}
