import type { Database } from "@deltacrown/db";
import { sql, type Kysely, type RawBuilder } from "kysely";

/**
 * Columns that change without a write of the caller's: a session's sliding expiry is touched by
 * reading it (at most once a minute), a worker's heartbeat by the worker.
 */
const VOLATILE: Record<string, string[]> = {
  sessions: ["last_used_at", "expires_at"],
  worker_heartbeats: ["beat_at"],
};

/**
 * Row count and an md5 of the sorted rows of every table in the public schema, and of
 * graphile-worker's job queue: an UPDATE that keeps every count is still a change.
 */
export async function tableChecksums(db: Kysely<Database>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const checksum = (table: RawBuilder<unknown>, name: string) =>
    sql<{ name: string; sum: string }>`select ${name} as name,
      count(*) || ':' || coalesce(md5(string_agg((to_jsonb(x) - ${VOLATILE[name] ?? []}::text[])::text, e'\n'
        order by (to_jsonb(x) - ${VOLATILE[name] ?? []}::text[])::text)), '-') as sum
      from ${table} x`;
  const parts = [
    ...tables.map((t) => checksum(sql.table(t.name), t.name)),
    checksum(sql.table("graphile_worker.jobs"), "graphile_worker.jobs"),
  ];
  const { rows } = await sql<{ name: string; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
}
