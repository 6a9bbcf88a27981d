import { runBatch, type BatchDeps, type BatchStats } from "./batch.ts";
import { legacyImportBatchPayload } from "./payload.ts";

/** The `legacy-import/batch` task body: payload parsed with zod, then one batch. */
export function legacyImportBatch(payload: unknown, deps: BatchDeps): Promise<BatchStats> {
  return runBatch(deps, legacyImportBatchPayload.parse(payload));
}
