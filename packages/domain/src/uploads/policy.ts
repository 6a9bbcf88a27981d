import type { UploadContentType } from "@deltacrown/db";

/**
 * What an uploaded image may be (seed 004: 5 MB, jpg/jpeg/png/gif/webp, content checked, decoded
 * for real). The type is read from the file's own bytes; its name and the request's headers are
 * never consulted.
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Largest side of an accepted image, and its largest pixel count (a decompression bomb is refused). */
export const MAX_SIDE = 8000;
export const MAX_PIXELS = 40_000_000;
/** The stored image is re-encoded no larger than this a side; the thumbnail fits in THUMB_SIDE. */
export const MAX_STORED_SIDE = 4096;
export const THUMB_SIDE = 320;

/** Accepted formats by the MIME type `file-type` reads from the bytes → the file extension stored. */
export const IMAGE_FORMATS: Record<UploadContentType, { ext: "png" | "jpg" | "gif" | "webp" }> = {
  "image/png": { ext: "png" },
  "image/jpeg": { ext: "jpg" },
  "image/gif": { ext: "gif" },
  "image/webp": { ext: "webp" },
};

export const isAcceptedType = (mime: string | undefined): mime is UploadContentType =>
  mime !== undefined && Object.hasOwn(IMAGE_FORMATS, mime);

/** Where the server serves stored objects (GET /media/<key>); URLs in answers are relative to the API. */
export const MEDIA_PATH = "/media/";
export const mediaUrl = (key: string) => `${MEDIA_PATH}${key}`;

/** A stored object's name: the sha256 of its bytes and the extension of its type. */
export const STORAGE_KEY = /^[0-9a-f]{64}\.(png|jpg|gif|webp)$/;

const TYPE_OF_EXT: Record<string, UploadContentType> = {
  png: "image/png",
  jpg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

/** The content type a stored object is served with, from its key's extension (never sniffed). */
export const contentTypeOfKey = (key: string): UploadContentType =>
  TYPE_OF_EXT[key.slice(key.lastIndexOf(".") + 1)] ?? "image/png";
