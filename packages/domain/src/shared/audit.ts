import { randomUUID } from "node:crypto";
import type { Database } from "@deltacrown/db";
import type { RawBuilder, Transaction } from "kysely";
import { addJob, enqueue } from "../jobs/enqueue.ts";
import type { AuditWritePayload } from "../jobs/audit.jobs.ts";
import type { SqlJson } from "./sql-json.ts";

type AuditEntry = Omit<AuditWritePayload, "at" | "key">;

const stamped = <T extends object>(entry: T) => ({ ...entry, at: new Date().toISOString(), key: randomUUID() });

/**
 * Records an audited action: an `audit/write` job in the same transaction as the change. Its key
 * makes the job safe to run twice (one row per key).
 */
export function audit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  return enqueue(trx, "audit/write", stamped(entry));
}

/**
 * The same `audit/write` job as an SQL expression, for the statement that makes the change (its
 * entity id or data may be columns of the row written there): audited exactly when written.
 */
export function auditJob(entry: SqlJson<AuditEntry>): RawBuilder<unknown> {
  return addJob("audit/write", stamped(entry as Exclude<typeof entry, RawBuilder<AuditEntry>>));
}
