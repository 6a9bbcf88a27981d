import { fileTypeFromBuffer } from "file-type";
import sharp, { type Sharp } from "sharp";
import { fileTooLarge, fileTypeRefused, imageInvalid, imageTooLarge } from "./errors.ts";
import {
  IMAGE_FORMATS,
  isAcceptedType,
  MAX_PIXELS,
  MAX_SIDE,
  MAX_STORED_SIDE,
  MAX_UPLOAD_BYTES,
  THUMB_SIDE,
} from "./policy.ts";
import type { UploadContentType } from "@deltacrown/db";

export interface EncodedImage {
  bytes: Buffer;
  ext: string;
  width: number;
  height: number;
}

export interface CheckedImage {
  contentType: UploadContentType;
  image: EncodedImage;
  thumbnail: EncodedImage;
}

// libvips keeps a cache of decoded images and runs several threads per image; an API process
// decodes untrusted files one request at a time, so neither is worth its memory.
sharp.cache(false);

/**
 * Every check an uploaded file passes before anything is written: its size, its type read from its
 * own bytes, its dimensions read from its header (a 20,000² or bomb image is refused before it is
 * decoded), then a real decode. What is stored is a re-encoding (metadata — EXIF, GPS, ICC, text
 * chunks — dropped, orientation applied) and a WebP thumbnail. Animated images keep their first frame.
 */
export async function inspectImage(bytes: Uint8Array): Promise<CheckedImage> {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw fileTooLarge();
  const detected = await fileTypeFromBuffer(bytes);
  const contentType = detected?.mime;
  if (!isAcceptedType(contentType)) throw fileTypeRefused();
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // limitInputPixels makes libvips refuse a larger image even if the header check were wrong.
  const open = () => sharp(input, { limitInputPixels: MAX_PIXELS, failOn: "error", pages: 1 });
  // The header only (no pixel is decoded), so no pixel limit here: the checks below say why it is refused.
  const meta = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw imageInvalid();
    });
  const { width, height } = meta;
  if (!width || !height) throw imageInvalid();
  if (width > MAX_SIDE || height > MAX_SIDE)
    throw imageTooLarge(`An image may be at most ${MAX_SIDE} pixels a side (this one is ${width} × ${height})`);
  if (width * height > MAX_PIXELS)
    throw imageTooLarge(`An image may have at most ${MAX_PIXELS.toLocaleString("en")} pixels`);
  const { ext } = IMAGE_FORMATS[contentType];
  try {
    const image = await encode(open().rotate(), MAX_STORED_SIDE, (s) => s.toFormat(ext === "jpg" ? "jpeg" : ext), ext);
    const thumbnail = await encode(open().rotate(), THUMB_SIDE, (s) => s.webp({ quality: 80 }), "webp");
    return { contentType, image, thumbnail };
  } catch {
    // A header that passed but pixel data libvips cannot decode (truncated, corrupt).
    throw imageInvalid();
  }
}

/** Resized to fit `side` (never enlarged), written in one format; sharp writes no metadata unless asked. */
async function encode(pipeline: Sharp, side: number, format: (s: Sharp) => Sharp, ext: string) {
  const resized = pipeline.resize({ width: side, height: side, fit: "inside", withoutEnlargement: true });
  const { data, info } = await format(resized).toBuffer({ resolveWithObject: true });
  return { bytes: data, ext, width: info.width, height: info.height };
}
