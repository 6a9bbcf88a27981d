import { z } from "zod";
import { isoDate } from "./common.ts";

/**
 * An upload's id (a uuid, as the uploads table keys it): the typed handle other inputs use to
 * attach an image (a team's logo, a post's images, a sponsor's logo).
 */
export const uploadId = z.uuid({ error: "not an upload id" });

export const uploadContentType = z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * An image as any reader sees it (a post's images, a sponsor's logo): paths on the API's origin
 * (GET /media/<content hash>.<ext>, public, cacheable for ever) and its size in pixels.
 */
export const image = z.object({
  url: z.string(),
  thumbnailUrl: z.string(),
  width: z.number(),
  height: z.number(),
});

/** An uploaded image as its owner sees it (also the answer of POST /uploads). */
export const upload = image.extend({
  id: z.string(),
  contentType: uploadContentType,
  byteSize: z.number(),
  createdAt: isoDate,
});

export const uploadByIdInput = z.object({ uploadId });
