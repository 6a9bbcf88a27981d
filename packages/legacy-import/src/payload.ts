import { LEGACY_ENTITIES } from "@deltacrown/db";
import { z } from "zod";

export const LEGACY_IMPORT_TASK = "legacy-import/batch";
/** Import jobs carry this flag; a worker without a legacy source skips them (graphile `forbiddenFlags`). */
export const LEGACY_IMPORT_FLAG = "legacy-import";

/** A batch failing this often stops the import (re-running it retries from that batch). */
export const MAX_ATTEMPTS = 3;

/** One batch: up to `batchSize` rows of `entity` with an old id above `afterId`, in id order. */
export const legacyImportBatchPayload = z.object({
  entity: z.enum(LEGACY_ENTITIES),
  // Old ids are bigint in Django's tables: carried as a decimal string.
  afterId: z.string().regex(/^\d{1,19}$/),
  batch: z.number().int().min(1),
  batchSize: z.number().int().min(1).max(5000),
  source: z.string().min(1).max(300),
});
export type LegacyImportBatchPayload = z.infer<typeof legacyImportBatchPayload>;

export function jobKey(p: Pick<LegacyImportBatchPayload, "entity" | "batch">): string {
  return `legacy-import:${p.entity}:${p.batch}`;
}
