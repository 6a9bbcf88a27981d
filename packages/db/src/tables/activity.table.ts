import type { Generated, Insertable, Selectable } from "kysely";

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: string;
  payload: Generated<unknown>;
  read_at: Date | null;
  created_at: Generated<Date>;
}
export type Notification = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;

export interface AuditLogTable {
  id: Generated<string>;
  actor_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Generated<unknown>;
  created_at: Generated<Date>;
  /** Unique when set: writing the same entry twice (a retried job) leaves one row. */
  dedup_key: string | null;
}
export type AuditEntry = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
