/**
 * While Postgres is down (stopped, then started again — its own cluster): a call is answered
 * SERVICE_UNAVAILABLE (503) with `retryable: true`, `retryAfter` and a Retry-After header, never
 * INTERNAL_SERVER_ERROR (issue 12: a fast restart answered 500s); /health/ready is 503 meanwhile;
 * the client's withRetry resends a query and a keyed transfer until the server is back, and never
 * resends a mutation without an idempotency key.
 */
import { randomUUID } from "node:crypto";
import { createClient, isApiError, withRetry, type ErrorData } from "@deltacrown/client";
import { migrateToLatest, createDb } from "@deltacrown/db";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck } from "@deltacrown/test-harness";
import { startPgCluster, type PgCluster } from "@deltacrown/test-harness/pg-cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

describe("calls while the database is down", () => {
  let cluster: PgCluster;
  let platform: Platform;

  beforeAll(async () => {
    cluster = await startPgCluster();
    await migrateToLatest({ connectionString: cluster.url });
    const seed = createDb({ connectionString: cluster.url, max: 1 });
    await seed.db.insertInto("games").values(demoGames).execute();
    await seed.destroy();
  }, 120_000);

  afterAll(() => cluster?.destroy());

  it("answers retryable 503s, reports not ready, and withRetry carries keyed writes across", async () => {
    // No Redis: this test is about the database.
    platform = await startTestPlatform({ url: cluster.url, redisUrl: "" }, { redisUrl: undefined });
    try {
      const anonymous = createClient({ url: platform.url });
      const a = await anonymous.identity.signUp.mutate({
        username: "down_a",
        email: "a@down.dc",
        password: "long-enough-pw",
      });
      await anonymous.identity.signUp.mutate({ username: "down_b", email: "b@down.dc", password: "long-enough-pw" });
      const client = createClient({ url: platform.url, token: a.token });
      const admin = createDb({ connectionString: cluster.url, max: 1 });
      await admin.db.updateTable("users").set({ is_staff: true }).where("username", "=", "down_a").execute();
      await admin.destroy();
      await client.wallets.mint.mutate({ username: "down_a", amount: 10, reason: "test funds" });
      expect((await fetch(`${platform.url}/health/ready`)).status).toBe(200);

      await cluster.stop("fast");

      const raw = await fetch(`${platform.url}/trpc/wallets.balance`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(raw.status).toBe(503);
      expect(raw.headers.get("retry-after")).toBe("1");
      const body = (await raw.json()) as { error: { message: string; data: ErrorData } };
      expect(body.error.data).toMatchObject({
        code: "SERVICE_UNAVAILABLE",
        httpStatus: 503,
        retryable: true,
        retryAfter: 1,
      });
      expect(body.error.message).not.toMatch(/ECONNREFUSED|select|127\.0\.0\.1/);
      expect((await fetch(`${platform.url}/health/ready`)).status).toBe(503);

      // A mutation without an idempotency key is never resent: its first attempt may have committed.
      let unkeyedRetries = 0;
      const unkeyed = await withRetry(
        { kind: "mutation" },
        () => client.teams.create.mutate({ name: "Never Twice", gameSlug: "valorant" }),
        { onRetry: () => unkeyedRetries++ },
      ).catch((error: unknown) => error);
      expect(isApiError(unkeyed) && (unkeyed.data as ErrorData | undefined)?.code).toBe("SERVICE_UNAVAILABLE");
      expect(unkeyedRetries).toBe(0);

      // A keyed transfer and a query are resent until the database is back.
      const key = randomUUID();
      let retries = 0;
      const options = { attempts: 60, baseDelayMs: 100, maxDelayMs: 500, onRetry: () => retries++ };
      const transfer = withRetry(
        { kind: "mutation", idempotencyKey: key },
        () => client.wallets.transfer.mutate({ to: "down_b", amount: 1, idempotencyKey: key }),
        options,
      );
      const balance = withRetry({ kind: "query" }, () => client.wallets.balance.query(), options);
      // Both have failed at least once before the server returns.
      const deadline = Date.now() + 30_000;
      while (retries < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(retries).toBeGreaterThanOrEqual(2);
      await cluster.start();
      expect(await transfer).toMatchObject({ amount: 1, balance: 9, replayed: false });
      expect([9, 10]).toContain((await balance).balance);
      expect((await fetch(`${platform.url}/health/ready`)).status).toBe(200);
    } finally {
      await platform.close();
    }
  }, 120_000);
});
