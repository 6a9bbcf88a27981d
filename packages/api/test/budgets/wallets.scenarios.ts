import { sql } from "kysely";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/** A staff user (flagged directly in the database) who can mint. */
export async function staffUser(api: Api, name = uniq("staff")) {
  const staff = await api.user(name);
  await sql`update users set is_staff = true where id = ${staff.user.id}`.execute(api.db);
  return staff;
}

/** A user holding `amount` coins, minted by a staff user. */
export async function fundedUser(api: Api, amount: number, name = uniq("rich")) {
  const staff = await staffUser(api);
  const u = await api.user(name);
  await staff.caller.wallets.mint({ username: u.user.username, amount, reason: "test funds" });
  return u;
}

/** Query-budget scenarios for the wallets router. */
export const walletsScenarios = {
  "wallets.balance": {
    queries: 2, // session, balance (never cached)
    async run(api) {
      const u = await fundedUser(api, 50);
      return api.measure(() => u.caller.wallets.balance());
    },
  },
  "wallets.transfer": {
    // session, then ONE statement (wallet_transfer: key claim, the payee's new wallet, both
    // locked in id order, movement with tx+entries+balances+audit, key result); no BEGIN/COMMIT
    queries: 2,
    async run(api) {
      const from = await fundedUser(api, 100);
      const to = await api.user(uniq("payee"));
      return api.measure(() =>
        from.caller.wallets.transfer({ to: to.user.username, amount: 30, idempotencyKey: uniq("scenario-key-") }),
      );
    },
  },
  "wallets.history": {
    queries: 2, // session, one page of entries with counterparties
    async run(api) {
      const from = await fundedUser(api, 100);
      const to = await api.user(uniq("payee"));
      for (const n of [1, 2, 3])
        await from.caller.wallets.transfer({ to: to.user.username, amount: n, idempotencyKey: uniq("hist-key-") });
      return api.measure(() => from.caller.wallets.history({ limit: 2 }));
    },
  },
  "wallets.mint": {
    queries: 4, // session, ensure wallet, lock mint + wallet, movement (its audit row in the same statement)
    async run(api) {
      const staff = await staffUser(api);
      const u = await api.user(uniq("minted"));
      return api.measure(() =>
        staff.caller.wallets.mint({ username: u.user.username, amount: 10, reason: "prize top-up" }),
      );
    },
  },
} satisfies Scenarios<"wallets">;
