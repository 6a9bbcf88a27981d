import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";
import type { Actor } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { IMAGE_COLUMNS, type StoredImage } from "./image.dto.ts";

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
 * the refs' order, is the stored rows (toImage makes them what a read shows).
 */
export async function requireAttachableImages(
  db: Kysely<Database>,
  actor: Pick<Actor, "userId">,
  refs: readonly ImageRef[],
): Promise<(StoredImage & { id: string })[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom("uploads")
    .select(["id", ...IMAGE_COLUMNS])
    .where("id", "in", [...new Set(refs.map((r) => r.id))])
    .where("owner_id", "=", actor.userId)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return refs.map(({ id, field }) => {
    const row = byId.get(id);
    if (!row) throw notFound("Upload", field);
    return row;
  });
}
