import { createDb, type Database } from "@deltacrown/db";
import type { Kysely } from "kysely";

/**
 * The old Django database, read-only. Its statements go through our Kysely (typed `Database` but
 * used only with raw `sql`), so they land in the job's query ledger like any other.
 */
export interface LegacySource {
  db: Kysely<Database>;
  /** `host:port/database`, never the password: names the source in job payloads and reports. */
  label: string;
  destroy(): Promise<void>;
}

export function sourceLabel(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
}

export function openLegacySource(url: string): LegacySource {
  // No named prepared statements: each batch's read differs only in its parameters, and a source
  // behind a transaction-pooling PgBouncer must work too.
  const source = createDb({
    connectionString: url,
    max: 2,
    applicationName: "deltacrown-legacy-import",
    prepare: false,
  });
  return { db: source.db, label: sourceLabel(url), destroy: () => source.destroy() };
}
