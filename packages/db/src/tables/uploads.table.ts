import type { Generated, Selectable } from "kysely";

export const UPLOAD_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** A checked, re-encoded image (migration 20261202T0200_uploads); a row exists only once it is stored. */
export interface UploadsTable {
  id: Generated<string>;
  owner_id: number;
  content_type: UploadContentType;
  byte_size: number;
  width: number;
  height: number;
  /** `<sha256 of the bytes>.<ext>`: the object's name in storage, for the image and its thumbnail. */
  storage_key: string;
  thumb_key: string;
  created_at: Generated<Date>;
}
export type Upload = Selectable<UploadsTable>;

/** Tables of uploads (migration 20261202T0200_uploads). */
export interface UploadTables {
  uploads: UploadsTable;
}
