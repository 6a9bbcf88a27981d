import { sql, type RawBuilder } from "kysely";
import { mediaUrl } from "./policy.ts";

/**
 * An image as every reader sees it (a post's images, a sponsor's logo, an upload): paths on the
 * API's origin (GET /media/<content hash>.<ext>, public and cacheable for ever) and the size.
 */
export interface ImageDto {
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
}

/** The uploads columns an ImageDto is made from (selected by name, or json-built in a read). */
export interface StoredImage {
  storage_key: string;
  thumb_key: string;
  width: number;
  height: number;
}

export const IMAGE_COLUMNS = ["storage_key", "thumb_key", "width", "height"] as const;

/** The one mapping from a stored upload to the URLs a reader fetches. */
export const toImage = (row: StoredImage): ImageDto => ({
  url: mediaUrl(row.storage_key),
  thumbnailUrl: mediaUrl(row.thumb_key),
  width: row.width,
  height: row.height,
});

/** SQL building a StoredImage as json from an uploads row aliased `alias` (for json-aggregated reads). */
export const storedImageJson = (alias: string): RawBuilder<StoredImage> =>
  sql<StoredImage>`json_build_object('storage_key', ${sql.ref(`${alias}.storage_key`)}, 'thumb_key', ${sql.ref(
    `${alias}.thumb_key`,
  )}, 'width', ${sql.ref(`${alias}.width`)}, 'height', ${sql.ref(`${alias}.height`)})`;
