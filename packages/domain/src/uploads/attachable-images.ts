import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import type { Actor } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { mediaUrl } from "./policy.ts";

/** What a post or a sponsor keeps of an attached image. */
export interface AttachableImage {
  id: string;
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
}

/** An upload id named by an input, and the input path to blame if it is not attachable. */
export interface ImageRef {
  id: string;
  field: string;
}

/**
 * The check before uploads are attached to something (a team's logo or banner, a post's images, a
 * sponsor's logo): each id names an image the caller uploaded. One statement for all of them; an
 * id that is not the caller's reads as not found at its `field` (e.g. "images.2"). A row exists
 * only for an image that passed every check and is stored, so found means ready to attach. Call it
 * inside the writer's transaction (`db` may be a Transaction), then store the ids; the answer, in
 * the refs' order, carries what a read needs to show them.
 */
export async function requireAttachableImages(
  db: Kysely<Database>,
  actor: Pick<Actor, "userId">,
  refs: readonly ImageRef[],
): Promise<AttachableImage[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom("uploads")
    .select(["id", "storage_key", "thumb_key", "width", "height"])
    .where("id", "in", [...new Set(refs.map((r) => r.id))])
    .where("owner_id", "=", actor.userId)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return refs.map(({ id, field }) => {
    const row = byId.get(id);
    if (!row) throw notFound("Upload", field);
    return {
      id: row.id,
      url: mediaUrl(row.storage_key),
      thumbnailUrl: mediaUrl(row.thumb_key),
      width: row.width,
      height: row.height,
    };
  });
}
