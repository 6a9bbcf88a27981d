import { ACHIEVEMENT_KINDS, POST_POLICIES, VISIBILITIES } from "@deltacrown/db";
import { z } from "zod";
import { isoDate } from "./common.ts";
import { image } from "./uploads.ts";

/** Shapes the team page (teams.bySlug) shares with the social procedures. */
export const visibility = z.enum(VISIBILITIES);
export const postPolicy = z.enum(POST_POLICIES);
export const author = z.object({ id: z.number(), username: z.string(), displayName: z.string() });

export const teamSettings = z.object({
  rosterVisibility: visibility,
  feedVisibility: visibility,
  postPolicy,
  acceptsJoinRequests: z.boolean(),
});

// The team page's social part (teams.bySlug)
export const teamSocial = {
  followerCount: z.number(),
  settings: teamSettings,
  pinnedPost: z
    .object({
      id: z.number(),
      body: z.string(),
      imageIds: z.array(z.string()),
      images: z.array(image),
      createdAt: isoDate,
      author,
    })
    .nullable(),
  achievements: z.array(
    z.object({ kind: z.enum(ACHIEVEMENT_KINDS), key: z.string(), title: z.string(), awardedAt: isoDate }),
  ),
  sponsors: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      linkUrl: z.string(),
      logoUploadId: z.string().nullable(),
      logo: image.nullable(),
      startsAt: isoDate,
      endsAt: isoDate,
    }),
  ),
};
