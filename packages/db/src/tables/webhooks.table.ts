import type { ColumnType, Generated } from "kysely";

export const WEBHOOK_EVENT_TYPES = [
  "registration.created",
  "payment.verified",
  "match.completed",
  "dispute.opened",
  "tournament.completed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpointsTable {
  id: Generated<number>;
  organization_id: number | null;
  tournament_id: number | null;
  url: string;
  secret: string;
  event_types: string[];
  is_active: Generated<boolean>;
  created_by: number;
  created_at: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event_id: string;
  event_type: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_response: string | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Generated<Date>;
}

/** Tables of webhooks (migration 20261124T0500_wallets_live). */
export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
