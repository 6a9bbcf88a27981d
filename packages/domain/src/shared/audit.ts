import type { Database } from "@deltacrown/db";
import type { Transaction } from "kysely";
import { enqueue } from "../jobs/enqueue.ts";
import type { AuditWritePayload } from "../jobs/audit.jobs.ts";

/** Records an audited action: an `audit/write` job in the same transaction as the change. */
export function audit(trx: Transaction<Database>, entry: Omit<AuditWritePayload, "at">): Promise<void> {
  return enqueue(trx, "audit/write", { ...entry, at: new Date().toISOString() });
}
