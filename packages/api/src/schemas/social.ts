import { SPONSOR_STATUSES } from "@deltacrown/db";
import { z } from "zod";
import { cursorPageOf, dateInRange, idOf, isoDate, limit, pageOf, slug, timeIdCursor } from "./common.ts";
import { author, postPolicy, visibility } from "./team-social.ts";
import { teamSummary } from "./teams.ts";
import { image, uploadId } from "./uploads.ts";

export { teamSettings } from "./team-social.ts";
import { freeText, plainText, webUrl } from "./text.ts";

// Posts
export const post = z.object({
  id: z.number(),
  team: z.object({ slug: z.string(), name: z.string() }),
  author,
  body: z.string(),
  imageIds: z.array(z.string()),
  /** The images in imageIds' order, as every viewer of the post fetches them. */
  images: z.array(image),
  pinned: z.boolean(),
  createdAt: isoDate,
});
export const postPage = pageOf(post);
export const createPostInput = z.object({
  teamSlug: slug,
  /** Plain text: markup stripped at write time (the text policy); 1–2000 characters once sanitized. */
  body: freeText(2000, 1),
  imageIds: z.array(uploadId).max(4).default([]),
});
export const postIdInput = z.object({ postId: idOf("team_posts") });
export const pinPostInput = z.object({ teamSlug: slug, postId: idOf("team_posts"), pinned: z.boolean().default(true) });
export const teamFeedInput = z.object({ teamSlug: slug, cursor: idOf("team_posts").optional(), limit });
export const homeFeedInput = z.object({ cursor: idOf("team_posts").optional(), limit }).default({ limit: 20 });

// Followers
export const teamSlugOnly = z.object({ teamSlug: slug });
export const followState = z.object({ following: z.boolean(), followerCount: z.number() });
export const follower = z.object({
  userId: z.number(),
  username: z.string(),
  displayName: z.string(),
  followedAt: isoDate,
});
export const followersInput = z.object({ teamSlug: slug, cursor: timeIdCursor.optional(), limit });
export const followerPage = cursorPageOf(follower);
export const followedTeamsInput = z.object({ cursor: timeIdCursor.optional(), limit }).default({ limit: 20 });
export const followedTeamPage = cursorPageOf(teamSummary.extend({ followedAt: isoDate }));

// Sponsors
export const sponsor = z.object({
  id: z.number(),
  name: z.string(),
  linkUrl: z.string(),
  logoUploadId: z.string().nullable(),
  logo: image.nullable(),
  status: z.enum(SPONSOR_STATUSES),
  startsAt: isoDate,
  endsAt: isoDate,
});
export const proposeSponsorInput = z.object({
  teamSlug: slug,
  name: plainText(1, 100),
  linkUrl: webUrl(["https"], 500),
  logoUploadId: uploadId.optional(),
  startsAt: dateInRange,
  endsAt: dateInRange,
});
export const sponsorIdInput = z.object({ sponsorId: idOf("team_sponsors") });
export const sponsorsInput = z.object({ teamSlug: slug, cursor: idOf("team_sponsors").optional(), limit });
export const sponsorPage = pageOf(sponsor);

// Promotions
export const promotion = z.object({
  id: z.number(),
  teamSlug: z.string(),
  gameSlug: z.string(),
  startsAt: isoDate,
  endsAt: isoDate,
});
export const createPromotionInput = z.object({ teamSlug: slug, startsAt: dateInRange, endsAt: dateInRange });
export const promotionsInput = z.object({ teamSlug: slug, cursor: idOf("team_promotions").optional(), limit });
export const promotionPage = pageOf(promotion);
export const promotionIdInput = z.object({ promotionId: idOf("team_promotions") });

// Settings
export const updateSettingsInput = z
  .object({
    teamSlug: slug,
    rosterVisibility: visibility.optional(),
    feedVisibility: visibility.optional(),
    postPolicy: postPolicy.optional(),
    acceptsJoinRequests: z.boolean().optional(),
  })
  .refine(
    (v) =>
      v.rosterVisibility !== undefined ||
      v.feedVisibility !== undefined ||
      v.postPolicy !== undefined ||
      v.acceptsJoinRequests !== undefined,
    { message: "change at least one setting", path: ["rosterVisibility"] },
  );

// Analytics
export const analyticsWeek = z.object({
  weekStart: z.string(),
  pageViews: z.number(),
  followersGained: z.number(),
  followersTotal: z.number(),
  matchesWon: z.number(),
  matchesLost: z.number(),
  cpChange: z.number(),
  cpTotal: z.number(),
});
export const analyticsInput = z.object({
  teamSlug: slug,
  cursor: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "a cursor from a previous page")
    .refine((v) => !Number.isNaN(Date.parse(v)), "a cursor from a previous page")
    .optional(),
  limit,
});
export const analyticsPage = cursorPageOf(analyticsWeek);
