import { randomUUID } from "node:crypto";
import type { Database } from "@deltacrown/db";
import type { Transaction } from "kysely";
import { enqueue } from "../jobs/enqueue.ts";
import type { AuditWritePayload } from "../jobs/audit.jobs.ts";

/**
 * Records an audited action: an `audit/write` job in the same transaction as the change. Its key
 * makes the job safe to run twice (one row per key).
 */
export function audit(trx: Transaction<Database>, entry: Omit<AuditWritePayload, "at" | "key">): Promise<void> {
  return enqueue(trx, "audit/write", { ...entry, at: new Date().toISOString(), key: randomUUID() });
}
