import type { PlannedMatch, SlotSource } from "../../src/tournaments/brackets/index.ts";

/**
 * Plays a generated elimination bracket to the end, the way the match service advances results:
 * a match is played once both sides are participants; its winner and loser move along `next` /
 * `loserNext`. `pick` chooses the winner. Returns the order matches were played and each
 * entrant's losses. Throws if a match can never be played (a broken bracket).
 */
export function playBracket(
  planned: readonly PlannedMatch[],
  pick: (a: number, b: number, m: PlannedMatch) => number,
  skip: (m: PlannedMatch, results: Map<string, { winner: number; loser: number; fromA: boolean }>) => boolean = () =>
    false,
) {
  const matches = new Map(planned.map((m) => [m.key, { ...m }]));
  const results = new Map<string, { winner: number; loser: number; fromA: boolean }>();
  const losses = new Map<number, number>();
  const played: string[] = [];
  const known = (s: SlotSource) => (s.kind === "participant" ? s.id : undefined);
  for (let guard = 0; guard < planned.length + 5; guard++) {
    const ready = [...matches.values()].find(
      (m) => !results.has(m.key) && known(m.a) !== undefined && known(m.b) !== undefined,
    );
    if (!ready) break;
    if (skip(ready, results)) {
      matches.delete(ready.key);
      continue;
    }
    const a = known(ready.a)!;
    const b = known(ready.b)!;
    const winner = pick(a, b, ready);
    const loser = winner === a ? b : a;
    results.set(ready.key, { winner, loser, fromA: winner === a });
    played.push(ready.key);
    losses.set(loser, (losses.get(loser) ?? 0) + 1);
    if (ready.next) matches.get(ready.next.key)![ready.next.slot] = { kind: "participant", id: winner };
    if (ready.loserNext) matches.get(ready.loserNext.key)![ready.loserNext.slot] = { kind: "participant", id: loser };
  }
  const unplayed = [...matches.values()].filter((m) => !results.has(m.key));
  return { played, results, losses, unplayed };
}
