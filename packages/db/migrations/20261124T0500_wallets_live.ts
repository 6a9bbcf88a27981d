import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
const statements = [
  // One wallet per user (user_id unique) plus system accounts (the mint, tournament prize pools)
  // keyed by system_key. Only user wallets are bound to be non-negative: the mint is where issued
  // coins come from, so its balance is minus everything ever minted.
  `create table wallets (
     id integer generated always as identity primary key,
     kind text not null default 'user' check (kind in ('user', 'system')),
     user_id integer references users (id),
     system_key text,
     balance bigint not null default 0,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now(),
     constraint wallets_owner check ((kind = 'user') = (user_id is not null) and (kind = 'system') = (system_key is not null)),
     constraint wallets_balance_nonnegative check (kind = 'system' or balance >= 0)
   )`,
  `create unique index wallets_user_id_key on wallets (user_id)`,
  `create unique index wallets_system_key_key on wallets (system_key)`,
  `insert into wallets (kind, system_key) values ('system', 'mint')`,

  // A ledger transaction; \`reference\` makes a movement happen exactly once (entry fee of a
  // registration, a prize of a placement).
  `create table wallet_transactions (
     id bigint generated always as identity primary key,
     kind text not null check (kind in ('transfer', 'mint', 'entry_fee', 'refund', 'prize')),
     reference text,
     actor_id integer references users (id),
     memo text not null default '',
     created_at timestamptz not null default now()
   )`,
  `create unique index wallet_transactions_reference_key on wallet_transactions (reference)`,
  `create index wallet_transactions_actor_id_idx on wallet_transactions (actor_id)`,

  `create table wallet_entries (
     id bigint generated always as identity primary key,
     transaction_id bigint not null references wallet_transactions (id),
     wallet_id integer not null references wallets (id),
     amount bigint not null check (amount <> 0),
     created_at timestamptz not null default now()
   )`,
  `create index wallet_entries_transaction_id_idx on wallet_entries (transaction_id)`,
  // History pages walk a wallet's entries newest first by id.
  `create index wallet_entries_wallet_id_idx on wallet_entries (wallet_id, id)`,

  // Double entry, enforced at commit: the entries of every transaction sum to zero, and there are
  // at least two of them. Deferred so a transaction may insert its legs in any number of statements.
  `create function wallet_transaction_balanced() returns trigger language plpgsql as $$
   declare total numeric; legs integer;
   begin
     select coalesce(sum(amount), 0), count(*) into total, legs
       from wallet_entries where transaction_id = new.transaction_id;
     if total <> 0 or legs < 2 then
       raise exception 'wallet transaction % is unbalanced (sum %, % legs)', new.transaction_id, total, legs
         using errcode = '23514', constraint = 'wallet_entries_balanced';
     end if;
     return null;
   end $$`,
  `create constraint trigger wallet_entries_balanced after insert on wallet_entries
     deferrable initially deferred for each row execute function wallet_transaction_balanced()`,
  // The ledger is append-only.
  `create function wallet_ledger_immutable() returns trigger language plpgsql as $$
   begin
     raise exception 'the wallet ledger is append-only' using errcode = '55000';
   end $$`,
  `create trigger wallet_entries_immutable before update or delete on wallet_entries
     for each statement execute function wallet_ledger_immutable()`,
  `create trigger wallet_transactions_immutable before update or delete on wallet_transactions
     for each statement execute function wallet_ledger_immutable()`,
  // The balance a wallet must have, recomputed from the ledger alone.
  `create function wallet_ledger_balance(p_wallet_id integer) returns bigint language sql stable as $$
     select coalesce(sum(amount), 0)::bigint from wallet_entries where wallet_id = p_wallet_id
   $$`,

  // Transfer idempotency keys, per user, written in the transfer's own transaction with its
  // result (in flight is an advisory lock, not a row). Kept at least 24 hours.
  `create table wallet_idempotency_keys (
     user_id integer not null references users (id) on delete cascade,
     key text not null,
     request_hash text not null,
     status text not null check (status in ('in_flight', 'completed')),
     transaction_id bigint references wallet_transactions (id),
     response jsonb,
     locked_until timestamptz not null,
     created_at timestamptz not null default now(),
     primary key (user_id, key)
   )`,
  `create index wallet_idempotency_keys_transaction_id_idx on wallet_idempotency_keys (transaction_id)`,
  `create index wallet_idempotency_keys_created_at_idx on wallet_idempotency_keys (created_at)`,

  // Live notifications, published after commit by Postgres itself: NOTIFY is delivered only when
  // the inserting transaction commits. Each server process LISTENs and relays to the live bus
  // (deduplicated by notification id). The payload rides along when it fits NOTIFY's 8 kB limit.
  `create function notifications_live_notify() returns trigger language plpgsql as $$
   declare r record;
   begin
     for r in select id, user_id, kind, payload from inserted loop
       perform pg_notify('dc_live_notifications', json_build_object(
         'id', r.id, 'userId', r.user_id, 'kind', r.kind,
         'payload', case when octet_length(r.payload::text) < 6000 then r.payload end)::text);
     end loop;
     return null;
   end $$`,
  `create trigger notifications_live after insert on notifications referencing new table as inserted
     for each statement execute function notifications_live_notify()`,

  // Webhooks for organizers: an endpoint per organization or per tournament, for chosen event
  // types. Every delivery (one per endpoint and event) is logged with its last response.
  `create table webhook_endpoints (
     id integer generated always as identity primary key,
     organization_id integer references organizations (id) on delete cascade,
     tournament_id integer references tournaments (id) on delete cascade,
     url text not null check (url ~ '^https?://'),
     secret text not null,
     event_types text[] not null check (cardinality(event_types) > 0),
     is_active boolean not null default true,
     created_by integer not null references users (id),
     created_at timestamptz not null default now(),
     constraint webhook_endpoints_scope check ((organization_id is null) <> (tournament_id is null))
   )`,
  `create index webhook_endpoints_organization_id_idx on webhook_endpoints (organization_id)`,
  `create index webhook_endpoints_tournament_id_idx on webhook_endpoints (tournament_id)`,
  `create index webhook_endpoints_created_by_idx on webhook_endpoints (created_by)`,
  `create table webhook_deliveries (
     id bigint generated always as identity primary key,
     endpoint_id integer not null references webhook_endpoints (id) on delete cascade,
     event_id uuid not null,
     event_type text not null,
     payload jsonb not null,
     status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
     attempts integer not null default 0,
     last_status_code integer,
     last_response text,
     last_error text,
     last_attempt_at timestamptz,
     delivered_at timestamptz,
     created_at timestamptz not null default now()
   )`,
  `create unique index webhook_deliveries_endpoint_event_key on webhook_deliveries (endpoint_id, event_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "webhook_deliveries",
    "webhook_endpoints",
    "wallet_idempotency_keys",
    "wallet_entries",
    "wallet_transactions",
    "wallets",
  ]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
  await sql.raw(`drop trigger if exists notifications_live on notifications`).execute(db);
  for (const fn of [
    "notifications_live_notify()",
    "wallet_transaction_balanced()",
    "wallet_ledger_immutable()",
    "wallet_ledger_balance(integer)",
  ]) {
    await sql.raw(`drop function if exists ${fn}`).execute(db);
  }
}
