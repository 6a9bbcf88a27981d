/**
 * Failures the server must survive, visibly: a live publish that misses a dead Redis, Redis
 * connection errors, and a malformed notification signal reaching the relay. Each was swallowed
 * (or, for the relay's JSON.parse, thrown from an event handler, which crashes the process);
 * now each is logged and counted, and the server keeps answering.
 */
import { createClient } from "@deltacrown/client";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { counter } from "./http.support.ts";
import { startTestPlatform } from "./platform.support.ts";
import { privateRedis } from "./redis.support.ts";

installOpenHandleCheck();

describe("errors survived, logged and counted", () => {
  const services = useTestServices();

  it("a malformed notification signal is counted and dropped; the relay and the server carry on", async () => {
    const p = await startTestPlatform(services);
    try {
      await sql`select pg_notify('dc_live_notifications', 'not json {')`.execute(services.db);
      await sql`select pg_notify('dc_live_notifications', '{"id":"x"}')`.execute(services.db);
      await waitFor(async () => (await counter(p.url, "dc_live_errors_total", 'stage="relay"')) >= 2);
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
      expect(await createClient({ url: p.url }).games.list.query()).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it("with Redis gone, a write still commits and its failed live publish is counted, as are Redis errors", async () => {
    const redis = await privateRedis();
    const p = await startTestPlatform(services, { redisUrl: redis.url });
    try {
      const anon = createClient({ url: p.url });
      const { token } = await anon.identity.signUp.mutate({
        username: "sender",
        email: "sender@dc.gg",
        password: "long-enough-pw",
      });
      await anon.identity.signUp.mutate({ username: "receiver", email: "receiver@dc.gg", password: "long-enough-pw" });
      await services.db.updateTable("users").set({ is_staff: true }).where("username", "=", "sender").execute();
      const sender = createClient({ url: p.url, token });
      await sender.wallets.mint.mutate({ username: "sender", amount: 100, reason: "test funds" });

      await redis.kill();
      const moved = await sender.wallets.transfer.mutate({
        to: "receiver",
        amount: 10,
        idempotencyKey: "gone-redis-1",
      });
      expect(moved).toMatchObject({ to: "receiver", amount: 10, balance: 90 });
      await waitFor(async () => (await counter(p.url, "dc_live_errors_total", 'stage="publish"')) >= 1, {
        timeoutMs: 15_000,
      });
      await waitFor(async () => (await counter(p.url, "dc_redis_errors_total", 'client="live"')) > 0);
      expect((await fetch(`${p.url}/health`)).status).toBe(200);
    } finally {
      await p.close();
      await redis.kill();
    }
  });
});
