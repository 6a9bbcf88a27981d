import { z } from "zod";
import { idOf, limit, slug } from "./common.ts";
import { freeText } from "./text.ts";

export const tierName = z.enum(["crown", "diamond", "platinum", "gold", "silver", "bronze", "unranked"]);

export const leaderboardEntry = z.object({
  rank: z.number().int(),
  previousRank: z.number().int().nullable(),
  teamId: z.number().int(),
  teamSlug: z.string(),
  teamName: z.string(),
  teamTag: z.string().nullable(),
  cp: z.number().int(),
  tier: z.string(),
});

export const leaderboardInput = z.object({
  gameSlug: slug,
  tier: tierName.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,9}\.\d{1,9}$/, "a cursor from a previous page")
    .optional(),
  /** Up to 100: the contract's leaderboard is a top-100 read, one request (issue 14); other lists stay ≤ 50. */
  limit: z.number().int().min(1).max(100).default(50),
});

export const leaderboardPage = z.object({
  gameSlug: z.string(),
  computedAt: z.string().nullable(),
  entries: z.array(leaderboardEntry),
  nextCursor: z.string().nullable(),
});

export const teamRankInput = z.object({ teamSlug: slug });
export const teamRankResult = z.object({
  teamSlug: z.string(),
  gameSlug: z.string(),
  entry: leaderboardEntry.nullable(),
  neighbourhood: z.array(leaderboardEntry),
});

export const historyInput = z.object({
  teamSlug: slug,
  cursor: idOf("cp_ledger").optional(),
  limit,
});
export const historyPage = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      delta: z.number().int(),
      sourceType: z.string(),
      sourceId: z.string(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
  nextCursor: z.number().int().nullable(),
});

export const adjustInput = z.object({
  teamSlug: slug,
  delta: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((d) => d !== 0, "a non-zero change"),
  reason: freeText(500, 3),
});
export const adjustResult = z.object({ teamSlug: z.string(), delta: z.number().int(), currentCp: z.number().int() });
