import type { MatchBracket, MatchSlot } from "@deltacrown/db";

/** Where a slot's occupant comes from: a participant, nobody (a bye), or a match's outcome. */
export type SlotSource =
  | { kind: "participant"; id: number }
  | { kind: "bye" }
  | { kind: "winner"; of: string }
  | { kind: "loser"; of: string };

export interface Target {
  key: string;
  slot: MatchSlot;
}

/** One match of a generated bracket, before it is stored. Keys are unique within a bracket. */
export interface PlannedMatch {
  key: string;
  bracket: MatchBracket;
  round: number;
  position: number;
  groupNo: number | null;
  a: SlotSource;
  b: SlotSource;
  next: Target | null;
  loserNext: Target | null;
}

export const participant = (id: number): SlotSource => ({ kind: "participant", id });
export const BYE: SlotSource = { kind: "bye" };
export const winnerOf = (key: string): SlotSource => ({ kind: "winner", of: key });
export const loserOf = (key: string): SlotSource => ({ kind: "loser", of: key });
