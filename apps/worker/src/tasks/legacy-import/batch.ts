import { legacyImportBatch as runLegacyImportBatch } from "@deltacrown/legacy-import";
import type { TaskDeps } from "../../task-deps.ts";

/**
 * `legacy-import/batch`: one batch of `pnpm import:legacy` (≤ 3 queries, up to 1,000 rows, one
 * transaction that also enqueues the next batch). The command runs these itself; a worker runs
 * them only when given the old site's database (LEGACY_DATABASE_URL), else it never picks them.
 */
export async function legacyImportBatch(payload: unknown, deps: TaskDeps): Promise<void> {
  if (!deps.legacy) throw new Error("legacy-import/batch needs LEGACY_DATABASE_URL (or run `pnpm import:legacy`)");
  await runLegacyImportBatch(payload, { db: deps.db, legacy: deps.legacy });
}
