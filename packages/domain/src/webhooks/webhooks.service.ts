import { randomBytes, randomUUID } from "node:crypto";
import type { Database, WebhookEventType } from "@deltacrown/db";
import { sql, type RawBuilder, type Transaction } from "kysely";
import { addJob } from "../jobs/enqueue.ts";
import { jsonbOf, type SqlJson } from "../shared/sql-json.ts";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest, forbidden, notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { refusedUrl } from "./outbound.ts";

export interface WebhookEndpointDto {
  id: number;
  organizationSlug: string | null;
  tournamentSlug: string | null;
  url: string;
  eventTypes: WebhookEventType[];
  isActive: boolean;
  createdAt: string;
}

export interface RegisterWebhookInput {
  organizationSlug?: string | undefined;
  tournamentSlug?: string | undefined;
  url: string;
  eventTypes: WebhookEventType[];
}

/**
 * Registers an endpoint for an organization (its owner/admins) or a tournament (its organizer,
 * or the owner/admins of its organization). The signing secret is returned once, here.
 */
export async function registerEndpoint(
  deps: DomainDeps,
  actor: Actor,
  input: RegisterWebhookInput,
): Promise<WebhookEndpointDto & { secret: string }> {
  // Scope and the actor's rights, read live in one statement.
  const scope = input.organizationSlug
    ? await sql<{ organization_id: number; tournament_id: null; allowed: boolean }>`
        select o.id as organization_id, null as tournament_id,
          (o.owner_id = ${actor.userId} or exists (select 1 from organization_memberships m where m.organization_id = o.id
             and m.user_id = ${actor.userId} and m.role in ('owner', 'admin'))) as allowed
        from organizations o where o.slug = ${input.organizationSlug}`.execute(deps.db)
    : await sql<{ organization_id: null; tournament_id: number; allowed: boolean; draft: boolean }>`
        select null as organization_id, t.id as tournament_id, t.status = 'draft' as draft,
          (t.organizer_id = ${actor.userId} or exists (select 1 from organization_memberships m
             where m.organization_id = t.organization_id and m.user_id = ${actor.userId} and m.role in ('owner', 'admin'))) as allowed
        from tournaments t where t.slug = ${input.tournamentSlug ?? ""} and not t.is_deleted`.execute(deps.db);
  const row = scope.rows[0];
  // A draft tournament does not exist for anyone who may not manage it.
  const hidden = row && "draft" in row && row.draft && !row.allowed && !actor.isStaff;
  if (!row || hidden)
    throw notFound(
      input.organizationSlug ? "Organization" : "Tournament",
      input.organizationSlug ? "organizationSlug" : "tournamentSlug",
    );
  if (!row.allowed && !actor.isStaff) throw forbidden("Only organizers may register webhooks");
  // The delivery checks again after DNS; this refuses what is plainly not a public https target.
  const refused = refusedUrl(input.url, deps.config.webhooks);
  if (refused) throw badRequest(`The webhook URL ${refused}`, "WEBHOOK_URL_REFUSED", "url");
  const secret = `whsec_${randomBytes(24).toString("hex")}`;
  return withTransaction(deps.db, async (trx) => {
    const created = await trx
      .insertInto("webhook_endpoints")
      .values({
        organization_id: row.organization_id,
        tournament_id: row.tournament_id,
        url: input.url,
        secret,
        event_types: input.eventTypes,
        created_by: actor.userId,
      })
      .returning(["id", "url", "event_types", "is_active", "created_at"])
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actorId: actor.userId,
      action: "webhook.register",
      entityType: "webhook_endpoint",
      entityId: String(created.id),
      data: { ...input },
    });
    return {
      id: created.id,
      organizationSlug: input.organizationSlug ?? null,
      tournamentSlug: input.organizationSlug ? null : (input.tournamentSlug ?? null),
      url: created.url,
      eventTypes: created.event_types as WebhookEventType[],
      isActive: created.is_active,
      createdAt: created.created_at.toISOString(),
      secret,
    };
  });
}

/** Endpoints the actor registered, newest first, a page at a time (one statement). */
export async function myEndpoints(
  deps: DomainDeps,
  actor: Actor,
  input: { cursor?: number | undefined; limit: number },
): Promise<{ items: WebhookEndpointDto[]; nextCursor: number | null }> {
  const rows = await deps.db
    .selectFrom("webhook_endpoints as e")
    .leftJoin("organizations as o", "o.id", "e.organization_id")
    .leftJoin("tournaments as t", "t.id", "e.tournament_id")
    .select(["e.id", "o.slug as org_slug", "t.slug as t_slug", "e.url", "e.event_types", "e.is_active", "e.created_at"])
    .where("e.created_by", "=", actor.userId)
    .$if(input.cursor !== undefined, (q) => q.where("e.id", "<", input.cursor!))
    .orderBy("e.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map((r) => ({
    id: r.id,
    organizationSlug: r.org_slug,
    tournamentSlug: r.t_slug,
    url: r.url,
    eventTypes: r.event_types as WebhookEventType[],
    isActive: r.is_active,
    createdAt: r.created_at.toISOString(),
  }));
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

export interface WebhookEventInput {
  organizationId?: number | null | undefined;
  /** A tournament's events also go to its organization's endpoints. */
  tournamentId?: number | null | undefined;
  type: WebhookEventType;
  data: Record<string, unknown>;
}

/**
 * Queues a webhook event in the caller's transaction: ONE statement logs a delivery per
 * matching active endpoint and enqueues a `webhooks/deliver` job for each, so a rolled-back
 * change sends nothing. Returns the event id (receivers dedupe on it) and the delivery count.
 */
export async function queueWebhookEvent(
  trx: Transaction<Database>,
  event: WebhookEventInput,
): Promise<{ eventId: string; deliveries: number }> {
  const { eventId, insert } = webhookEventInsert(event);
  const { rows } = await insert.execute(trx);
  return { eventId, deliveries: rows.length };
}

/**
 * The statement behind queueWebhookEvent, to run alone or as a CTE of the statement that makes
 * the change: an `insert into webhook_deliveries` whose RETURNING enqueues each delivery's job,
 * so every delivery row has its job and a rolled-back statement leaves neither. `data` may hold
 * SQL expressions over `from`, a from-item of the same statement (a CTE with at most one row):
 * no row there, no event.
 */
export function webhookEventInsert(
  event: Omit<WebhookEventInput, "data"> & { data: SqlJson<Record<string, unknown>> },
  from?: RawBuilder<unknown>,
): { eventId: string; insert: RawBuilder<{ id: number }> } {
  const eventId = randomUUID();
  const payload = jsonbOf({ id: eventId, type: event.type, createdAt: new Date().toISOString(), data: event.data });
  const org = event.organizationId ?? null;
  const tournament = event.tournamentId ?? null;
  const insert = sql<{ id: number }>`
    insert into webhook_deliveries (endpoint_id, event_id, event_type, payload)
    select e.id, ${eventId}::uuid, ${event.type}, ${payload} from webhook_endpoints e${from ? sql` cross join ${from}` : sql``}
     where e.is_active and ${event.type} = any (e.event_types)
       and (e.tournament_id = ${tournament}
            or e.organization_id = ${org}
            or e.organization_id = (select t.organization_id from tournaments t where t.id = ${tournament}))
    returning webhook_deliveries.id, ${addJob(
      "webhooks/deliver",
      { deliveryId: sql<number>`webhook_deliveries.id` },
      { maxAttempts: 10, jobKey: sql<string>`'webhook-delivery:' || webhook_deliveries.id` },
    )}`;
  return { eventId, insert };
}
