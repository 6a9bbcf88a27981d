import { createHash } from "node:crypto";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { contentTypeOfKey } from "./policy.ts";
import { inspectImage, type EncodedImage } from "./inspect-image.ts";
import { requireStorage } from "./require-storage.ts";
import { toUploadDto, UPLOAD_COLUMNS, type UploadDto } from "./upload.dto.ts";

const keyOf = (image: EncodedImage) => `${createHash("sha256").update(image.bytes).digest("hex")}.${image.ext}`;

/**
 * Stores an uploaded image for its uploader: every check runs first (inspectImage), so a refused
 * file writes nothing — no object, no row. Then the re-encoded image and its thumbnail are stored
 * under content-hashed names and one row records them. (A row insert that fails after the puts
 * leaves unreferenced objects, harmless under content-hashed names; a sweep could remove them.)
 */
export async function createUpload(deps: DomainDeps, actor: Actor, bytes: Uint8Array): Promise<UploadDto> {
  const storage = requireStorage(deps);
  const checked = await inspectImage(bytes);
  const storageKey = keyOf(checked.image);
  const thumbKey = keyOf(checked.thumbnail);
  await Promise.all([
    storage.put(storageKey, checked.image.bytes, checked.contentType),
    storage.put(thumbKey, checked.thumbnail.bytes, contentTypeOfKey(thumbKey)),
  ]);
  const row = await deps.db
    .insertInto("uploads")
    .values({
      owner_id: actor.userId,
      content_type: checked.contentType,
      byte_size: checked.image.bytes.byteLength,
      width: checked.image.width,
      height: checked.image.height,
      storage_key: storageKey,
      thumb_key: thumbKey,
    })
    .returning(UPLOAD_COLUMNS)
    .executeTakeFirstOrThrow();
  return toUploadDto(row);
}
