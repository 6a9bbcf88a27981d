import { z } from "zod";
import { cursorPageOf, idOf, isoDate, limit, pageOf, placementCursor, slug } from "./common.ts";
import { freeText } from "./text.ts";

const gameScore = z.object({ a: z.number().int().min(0).max(1000), b: z.number().int().min(0).max(1000) });
export const matchState = z.enum(["pending", "ready", "completed", "disputed", "void"]);

const matchFields = {
  id: z.number(),
  bracket: z.string(),
  round: z.number(),
  position: z.number(),
  groupNo: z.number().nullable(),
  bestOf: z.number(),
  state: matchState,
  sideA: z.object({ registrationId: z.number(), name: z.string() }).nullable(),
  sideB: z.object({ registrationId: z.number(), name: z.string() }).nullable(),
  scoreA: z.number().nullable(),
  scoreB: z.number().nullable(),
  games: z.array(gameScore),
  winnerId: z.number().nullable(),
  isForfeit: z.boolean(),
};
/** A match as its participants and organizers see it: the reports with their evidence. */
export const match = z.object({
  ...matchFields,
  reports: z.array(
    z.object({ registrationId: z.number(), scoreA: z.number(), scoreB: z.number(), evidence: z.string() }),
  ),
});
/** A match as anyone sees it: reported scores, not the evidence participants uploaded. */
export const publicMatch = z.object({
  ...matchFields,
  reports: z.array(z.object({ registrationId: z.number(), scoreA: z.number(), scoreB: z.number() })),
});
export const matchPage = pageOf(publicMatch);

export const listMatchesInput = z.object({
  tournamentSlug: slug,
  state: matchState.optional(),
  cursor: idOf("matches").optional(),
  limit,
});
export const matchIdInput = z.object({ matchId: idOf("matches") });
/** A page of a list ordered by placement (standings, certificates). */
export const placementPageInput = z.object({ slug, cursor: placementCursor.optional(), limit });
const score = z.number().int().min(0).max(4);
export const reportInput = z.object({
  matchId: idOf("matches"),
  scoreA: score,
  scoreB: score,
  games: z.array(gameScore).max(7).optional(),
  evidence: freeText(2000).optional(),
});
export const resolveInput = z.object({
  matchId: idOf("matches"),
  scoreA: score.optional(),
  scoreB: score.optional(),
  games: z.array(gameScore).max(7).optional(),
  forfeit: z.enum(["a", "b"]).optional(),
});

export const standing = z.object({
  registrationId: z.number(),
  name: z.string(),
  placement: z.number(),
  wins: z.number(),
  losses: z.number(),
  gameDifference: z.number(),
  buchholz: z.number(),
  final: z.boolean(),
});

export const standingPage = cursorPageOf(standing);
export const certificate = z.object({
  code: z.string(),
  placement: z.number(),
  issuedAt: isoDate,
  tournament: z.object({ slug: z.string(), name: z.string(), tier: z.string() }),
  recipient: z.string(),
});
export const certificatePage = cursorPageOf(certificate);
export const certificateCodeInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{12}$/),
});

export const organizerDashboard = z.object({
  tournamentsByStatus: z.record(z.string(), z.number()),
  registrationsPending: z.number(),
  paymentsToVerify: z.number(),
  disputesOpen: z.number(),
  upcoming: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      status: z.string(),
      startsAt: isoDate,
      entriesCount: z.number(),
      capacity: z.number(),
    }),
  ),
});
export const tournamentHealth = z.object({
  confirmed: z.number(),
  checkedIn: z.number(),
  checkInRate: z.number().nullable(),
  matchesReady: z.number(),
  matchesLate: z.number(),
  disputesOpen: z.number(),
  completedMatches: z.number(),
  totalMatches: z.number(),
});
