import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// - wallet_transfer: a whole transfer in ONE statement, so it needs no explicit transaction (no
//   BEGIN/COMMIT round trips) and holds the wallet locks for no client round trip (issue 14: wallet
//   transfers vs pgbench). A function, not a CTE, because the guarantees need an order that a
//   CTE's sub-statements do not have: the key's advisory lock before reading its stored result;
//   each later statement sees what committed before it started (a volatile plpgsql function takes
//   a snapshot per statement), so a wallet created concurrently, or a key completed by the holder
//   of the advisory lock we just took, is seen; wallets are locked in id order (the documented
//   order of every wallet writer) before the funds are checked. A refusal raises, so the statement
//   rolls back and writes nothing (not even the wallets it created): DC404 unknown payee, DC402
//   insufficient funds; 40001 when a key past retention raced (the caller's retry replays it).
//   The movement (transaction, both entries, balances, audit row `wallet.transfer`) is the one
//   writeMovement writes, in the same shape.
// - p_to is citext like users.username: a text parameter would compare case-sensitively and miss
//   the unique index.
const statements = [
  `create function wallet_transfer(
     p_user_id integer, p_to citext, p_key text, p_request_hash text, p_amount bigint, p_memo text,
     p_retention_hours integer,
     out got boolean, out moved boolean, out request_hash text, out response jsonb, out recipient_id integer)
   language plpgsql as $$
   declare
     r record;
     from_id integer; from_balance bigint;
     to_id integer; to_name text;
     tx_id bigint; tx_at timestamptz;
   begin
     moved := false;
     -- In flight elsewhere: refused (the caller answers IN_FLIGHT), not run twice.
     got := pg_try_advisory_xact_lock(p_user_id, hashtext(p_key));
     if not got then return; end if;
     select k.request_hash, k.response into request_hash, response from wallet_idempotency_keys k
      where k.user_id = p_user_id and k.key = p_key
        and k.created_at > now() - make_interval(hours => p_retention_hours);
     if found then return; end if;
     -- Missing wallets are created before any wallet is locked: new rows are invisible to every
     -- other transaction, so creating them cannot wait in a cycle (in user id order all the same,
     -- for two first transfers between the same two users). Only when one is missing: an insert
     -- that conflicts still draws the identity values (integer ids, two a transfer).
     if (select count(*) from wallets w join users u on u.id = w.user_id
          where u.id = p_user_id or u.username = p_to) < 2 then
       insert into wallets (user_id)
         select u.id from users u where u.id = p_user_id or u.username = p_to order by u.id
         on conflict (user_id) do nothing;
     end if;
     for r in select w.id, w.user_id, w.balance, u.username
                from wallets w join users u on u.id = w.user_id
               where u.id = p_user_id or u.username = p_to
               order by w.id
                 for update of w loop
       if r.user_id = p_user_id then
         from_id := r.id; from_balance := r.balance;
       else
         to_id := r.id; recipient_id := r.user_id; to_name := r.username;
       end if;
     end loop;
     if to_id is null or from_id is null then
       raise exception 'no such user' using errcode = 'DC404';
     end if;
     if from_balance < p_amount then
       raise exception 'not enough coins in the wallet' using errcode = 'DC402';
     end if;
     insert into wallet_transactions (kind, actor_id, memo) values ('transfer', p_user_id, p_memo)
       returning id, created_at into tx_id, tx_at;
     update wallets
        set balance = balance + case when id = from_id then -p_amount else p_amount end, updated_at = now()
      where id in (from_id, to_id);
     insert into wallet_entries (transaction_id, wallet_id, amount)
       values (tx_id, from_id, -p_amount), (tx_id, to_id, p_amount);
     insert into audit_log (actor_id, action, entity_type, entity_id, data, dedup_key)
       values (p_user_id, 'wallet.transfer', 'wallet_transaction', tx_id::text,
               jsonb_build_object('memo', p_memo, 'reference', null, 'legs', jsonb_build_array(
                 jsonb_build_object('walletId', from_id, 'amount', -p_amount),
                 jsonb_build_object('walletId', to_id, 'amount', p_amount))),
               'wallet_transaction:' || tx_id);
     response := jsonb_build_object('to', to_name, 'amount', p_amount, 'memo', p_memo,
       'balance', from_balance - p_amount, 'replayed', false, 'transactionId', tx_id,
       'createdAt', to_char(tx_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
     -- The key exists exactly when the transfer does; one past retention is replaced.
     insert into wallet_idempotency_keys as k (user_id, key, request_hash, status, transaction_id, response, locked_until)
       values (p_user_id, p_key, p_request_hash, 'completed', tx_id, response, now())
       on conflict (user_id, key) do update
         set request_hash = excluded.request_hash, transaction_id = excluded.transaction_id,
             response = excluded.response, created_at = now(), locked_until = now()
         where k.created_at <= now() - make_interval(hours => p_retention_hours);
     if not found then
       raise exception 'idempotency key completed concurrently' using errcode = '40001';
     end if;
     moved := true;
   end $$`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`drop function if exists wallet_transfer(integer, citext, text, text, bigint, text, integer)`)
    .execute(db);
}
