import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { toUploadDto, UPLOAD_COLUMNS, type UploadDto } from "./upload.dto.ts";

/** One of the caller's uploads (another user's reads as not found: ids are not for browsing). */
export async function uploadById(deps: Pick<DomainDeps, "db">, actor: Actor, uploadId: string): Promise<UploadDto> {
  const row = await deps.db
    .selectFrom("uploads")
    .select(UPLOAD_COLUMNS)
    .where("id", "=", uploadId)
    .where("owner_id", "=", actor.userId)
    .executeTakeFirst();
  if (!row) throw notFound("Upload", "uploadId");
  return toUploadDto(row);
}
