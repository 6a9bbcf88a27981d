export { singleElimination, winnersBracket } from "./single-elimination.ts";
export { doubleElimination, GRAND_FINAL, GRAND_FINAL_RESET } from "./double-elimination.ts";
export { largestGroup, MAX_GROUP_SIZE, roundRobin, snakeGroups } from "./round-robin.ts";
export { pairSwissRound, swissRoundsFor, type SwissEntrant } from "./swiss.ts";
export { seedOrder, seedParticipants, nextPowerOfTwo, type Seedable } from "./seeding.ts";
export { resolveByes } from "./byes.ts";
export type { PlannedMatch, SlotSource, Target } from "./types.ts";
