import { z } from "zod";
import { isoDate } from "./common.ts";

/**
 * An upload's id (a uuid, as the uploads table keys it): the typed handle other inputs use to
 * attach an image (a team's logo, a post's images, a sponsor's logo).
 */
export const uploadId = z.uuid({ error: "not an upload id" });

export const uploadContentType = z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** An uploaded image as its owner sees it (also the answer of POST /uploads). */
export const upload = z.object({
  id: z.string(),
  contentType: uploadContentType,
  byteSize: z.number(),
  width: z.number(),
  height: z.number(),
  /** Paths on the API's origin (GET /media/<content hash>.<ext>), cacheable for ever. */
  url: z.string(),
  thumbnailUrl: z.string(),
  createdAt: isoDate,
});

export const uploadByIdInput = z.object({ uploadId });
