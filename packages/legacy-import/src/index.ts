export { runImport, type ImportOptions, type ImportResult, type RunSummary } from "./run-import.ts";
export { legacyImportBatch } from "./task.ts";
export type { BatchDeps, BatchStats } from "./batch.ts";
export {
  legacyImportBatchPayload,
  LEGACY_IMPORT_FLAG,
  LEGACY_IMPORT_TASK,
  type LegacyImportBatchPayload,
} from "./payload.ts";
export { addBatchJob } from "./jobs.ts";
export { openLegacySource, sourceLabel, type LegacySource } from "./source.ts";
export { reconcile, type Reconciliation, type EntityReport, type Checksum } from "./reconcile.ts";
export { REFUSALS, NOTES, type RefusalReason, type NoteKind } from "./reasons.ts";
