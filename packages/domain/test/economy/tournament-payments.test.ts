import { useTestServices } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { chargeEntryFee, payPrize, refundEntryFee } from "../../src/economy/tournament-payments.ts";
import { findBalanceMismatches, ledgerBalance } from "../../src/economy/verify.ts";
import * as wallets from "../../src/economy/wallets.service.ts";
import { AppError } from "../../src/shared/errors.ts";
import { withTransaction } from "../../src/shared/transaction.ts";
import { depsOf, makeUser } from "./support.ts";

describe("tournament payments", () => {
  const services = useTestServices({ poolMax: 4 });
  const balanceOf = async (userId: number) =>
    Number(
      (await services.db.selectFrom("wallets").select("balance").where("user_id", "=", userId).executeTakeFirst())
        ?.balance ?? 0,
    );

  it("charges an entry fee once, refunds it once, and pays each prize once — even called concurrently", async () => {
    const staff = await makeUser(services.db, { staff: true });
    const player = await makeUser(services.db);
    await wallets.mint(depsOf(services.db), staff, { username: player.username, amount: 100, reason: "funds" });
    const fee = { userId: player.userId, tournamentId: 9001, registrationId: 77, amount: 40 };

    const charges = await Promise.all(
      [1, 2, 3].map(() => withTransaction(services.db, (trx) => chargeEntryFee(trx, fee))),
    );
    expect(charges.filter((c) => !c.alreadyDone)).toHaveLength(1);
    expect(new Set(charges.map((c) => c.transactionId)).size).toBe(1);
    expect(await balanceOf(player.userId)).toBe(60);

    const refunds = await Promise.all(
      [1, 2].map(() => withTransaction(services.db, (trx) => refundEntryFee(trx, { registrationId: 77 }))),
    );
    expect(refunds.filter((r) => r && !r.alreadyDone)).toHaveLength(1);
    expect(await balanceOf(player.userId)).toBe(100);
    expect(await withTransaction(services.db, (trx) => refundEntryFee(trx, { registrationId: 12345 }))).toBeNull();

    const prize = { tournamentId: 9001, userId: player.userId, placement: 1, amount: 250 };
    const prizes = await Promise.all([1, 2].map(() => withTransaction(services.db, (trx) => payPrize(trx, prize))));
    expect(prizes.filter((p) => !p.alreadyDone)).toHaveLength(1);
    expect(await balanceOf(player.userId)).toBe(350);

    const wallet = await services.db
      .selectFrom("wallets")
      .select("id")
      .where("user_id", "=", player.userId)
      .executeTakeFirstOrThrow();
    expect(await ledgerBalance(services.db, wallet.id)).toBe(350);
    expect(await findBalanceMismatches(services.db)).toEqual([]);
  });

  it("refuses an entry fee the wallet cannot pay and rolls the caller's transaction back", async () => {
    const poor = await makeUser(services.db);
    const before = (await sql<{ n: number }>`select count(*)::int as n from wallet_entries`.execute(services.db))
      .rows[0]!.n;
    const error = await withTransaction(services.db, (trx) =>
      chargeEntryFee(trx, { userId: poor.userId, tournamentId: 9002, registrationId: 88, amount: 1 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).reason).toBe("INSUFFICIENT_FUNDS");
    const after = (await sql<{ n: number }>`select count(*)::int as n from wallet_entries`.execute(services.db))
      .rows[0]!.n;
    expect(after).toBe(before);
    expect(await balanceOf(poor.userId)).toBe(0);
  });
});
