import type { Upload, UploadContentType } from "@deltacrown/db";
import { toImage, type ImageDto } from "./image.dto.ts";

/** An upload as its owner sees it; `url`s are paths on the API's origin (GET /media/<key>). */
export interface UploadDto extends ImageDto {
  id: string;
  contentType: UploadContentType;
  byteSize: number;
  createdAt: string;
}

export const UPLOAD_COLUMNS = [
  "id",
  "content_type",
  "byte_size",
  "width",
  "height",
  "storage_key",
  "thumb_key",
  "created_at",
] as const;

export function toUploadDto(row: Pick<Upload, (typeof UPLOAD_COLUMNS)[number]>): UploadDto {
  return {
    id: row.id,
    contentType: row.content_type,
    byteSize: row.byte_size,
    ...toImage(row),
    createdAt: row.created_at.toISOString(),
  };
}
