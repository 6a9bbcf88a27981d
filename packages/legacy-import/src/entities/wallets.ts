import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";

interface WalletRow {
  id: string;
  balance: string;
  user_id: string;
}

export const wallets = defineSpec<WalletRow>({
  entity: "wallet",
  read: (afterId, limit) => sql<WalletRow>`
    select w.id::text as id, w.balance::text as balance, w.user_id::text as user_id
    from economy_wallet w
    where w.id > ${afterId}::bigint order by w.id limit ${limit}`,
  refs: (row) => [{ entity: "user", oldId: row.user_id, as: "user", reason: "user_refused" }],
  lookup: (rows) => [
    sql`(select coalesce(json_agg(m.old_id::text), '[]'::json)
      from legacy_import_map m join wallets w on w.user_id = m.new_id
      where m.entity = 'user' and m.old_id = any(${rows.map((r) => r.user_id)}::bigint[])) as users_with_wallet`,
  ],
  classify(row, { newId, extra }) {
    const problems: Problem[] = [];
    if (BigInt(row.balance) < 0n) problems.push({ reason: "negative_balance", detail: `balance ${row.balance}` });
    if ((extra.users_with_wallet as string[]).includes(row.user_id))
      problems.push({ reason: "wallet_exists", detail: `user ${row.user_id}` });
    return { problems, values: { user_id: newId("user", row.user_id), balance: row.balance } };
  },
  columns: "user_id integer, balance bigint",
  // Double entry: each opening balance is minted (one ledger transaction, two legs), so every
  // wallet's balance still equals its ledger and the mint holds minus all coins issued.
  insert: `ins as (
    insert into wallets (id, kind, user_id, balance)
    overriding system value
    select map.new_id, 'user', acc.user_id, acc.balance
    from map join acc using (old_id)
    returning id, balance
  ), minted as (
    insert into wallet_transactions (kind, reference, memo)
    select 'mint', 'legacy-import:wallet:' || ins.id, 'opening balance from the old site'
    from ins where ins.balance <> 0
    returning id, reference
  ), legs as (
    insert into wallet_entries (transaction_id, wallet_id, amount)
    select minted.id, leg.wallet_id, leg.amount
    from minted join ins on minted.reference = 'legacy-import:wallet:' || ins.id
    cross join lateral (values (ins.id, ins.balance),
      ((select id from wallets where system_key = 'mint'), -ins.balance)) as leg(wallet_id, amount)
    returning 1
  ), mint as (
    update wallets set balance = balance - (select coalesce(sum(balance), 0) from ins), updated_at = now()
    where system_key = 'mint'
    returning 1
  )`,
});
