/**
 * Abuse limits through the real server over raw HTTP: sign-in per address and per account (with a
 * lockout whose bound is proven on a short configured window), sign-up bursts, the batch and body
 * caps (HTTP and WebSocket), Retry-After, limits shared by two processes through Redis, failing open when Redis dies,
 * and X-Forwarded-For honoured only from a trusted proxy.
 */
import { defaultLimits, type LimitsConfig } from "@deltacrown/api";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { LIVE_WS_PATH } from "../src/live/register.ts";
import { counter, errorOf, mutate } from "./http.support.ts";
import { startTestPlatform } from "./platform.support.ts";
import { privateRedis } from "./redis.support.ts";

installOpenHandleCheck();

const PASSWORD = "long-enough-pw";
const limit = (points: number, durationSeconds: number, blockSeconds = 0) => ({
  points,
  durationSeconds,
  blockSeconds,
});
const signUp = (base: string, username: string, headers: Record<string, string> = {}) =>
  mutate(base, "identity.signUp", { username, email: `${username}@dc.gg`, password: PASSWORD }, headers);
const signIn = (base: string, login: string, password: string, headers: Record<string, string> = {}) =>
  mutate(base, "identity.signIn", { login, password }, headers);
const from = (address: string) => ({ "x-forwarded-for": address });

describe("abuse limits", () => {
  const services = useTestServices();
  const users = async () =>
    Number(
      (
        await services.db
          .selectFrom("users")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  // Each test starts with no counters (this file's own Redis database).
  beforeEach(async () => {
    await services.redis.flushdb();
  });

  it("30 wrong passwords, then the right one: refused with TOO_MANY_REQUESTS, retryAfter and Retry-After", async () => {
    const p = await startTestPlatform(services);
    try {
      expect((await signUp(p.url, "target")).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await signIn(p.url, "target", `wrong-${i}`)).status);
      const { points } = defaultLimits.signInConsecutive;
      expect(statuses.slice(0, points)).toEqual(Array(points).fill(401));
      expect(statuses.slice(points)).toEqual(Array(30 - points).fill(429));

      const right = await signIn(p.url, "target", PASSWORD);
      expect(right.status).toBe(429);
      const error = errorOf(right);
      expect(error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
      expect(error.data.retryAfter).toBeGreaterThan(0);
      expect(error.data.retryAfter).toBeLessThanOrEqual(defaultLimits.signInConsecutive.blockSeconds);
      expect(Number(right.headers.get("retry-after"))).toBe(error.data.retryAfter);
      expect(await counter(p.url, "dc_rate_limit_refusals_total", 'limit="signInConsecutive"')).toBe(21);
    } finally {
      await p.close();
    }
  });

  it("the per-account lock keeps the owner out at most its block length, and never from a known address", async () => {
    const BLOCK = 2;
    const limits: LimitsConfig = {
      ...defaultLimits,
      signUp: limit(100, 3600),
      signInAccount: limit(5, 600, BLOCK),
    };
    const p = await startTestPlatform(services, { limits, trustProxy: ["127.0.0.1"] });
    try {
      expect((await signUp(p.url, "victim", from("203.0.113.50"))).status).toBe(200);
      const attack = async (round: number) => {
        // Each guess from another address: only the per-account counter sees them all.
        for (let i = 0; i <= 5; i++) await signIn(p.url, "victim", "guess", from(`198.51.100.${round * 10 + i}`));
      };
      await attack(1);

      // The owner from a new address is refused, told to wait at most the block …
      const refused = await signIn(p.url, "victim", PASSWORD, from("203.0.113.9"));
      expect(refused.status).toBe(429);
      expect(errorOf(refused).data.retryAfter).toBeLessThanOrEqual(BLOCK);
      // … and gets in once it passed, without the attacker's earlier guesses counting again.
      const started = Date.now();
      const ok = await waitFor(
        async () => {
          const answer = await signIn(p.url, "victim", PASSWORD, from("203.0.113.9"));
          if (answer.status === 429) expect(errorOf(answer).data.retryAfter).toBeLessThanOrEqual(BLOCK);
          return answer.status === 200 && answer;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(ok.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(BLOCK * 1000 + 10_000);

      // A second attack locks the account again, but not for the address the owner signed in from.
      await attack(2);
      expect((await signIn(p.url, "victim", PASSWORD, from("203.0.113.10"))).status).toBe(429);
      expect((await signIn(p.url, "victim", PASSWORD, from("203.0.113.9"))).status).toBe(200);
    } finally {
      await p.close();
    }
  });

  it("one address guessing across many accounts is cut off by the per-address sign-in limit", async () => {
    const limits: LimitsConfig = { ...defaultLimits, signUp: limit(100, 3600), signInAddress: limit(4, 3600) };
    const p = await startTestPlatform(services, { limits, trustProxy: ["127.0.0.1"] });
    try {
      for (let i = 0; i < 6; i++) expect((await signUp(p.url, `spray${i}`)).status).toBe(200);
      // One wrong password per account: no per-account or consecutive counter comes near its limit.
      const statuses = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await signIn(p.url, `spray${i}`, "guess", from("198.51.100.7"))).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      // The address is refused even with a right password now; another address is not.
      const right = await signIn(p.url, "spray5", PASSWORD, from("198.51.100.7"));
      expect(right.status).toBe(429);
      expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await signIn(p.url, "spray5", PASSWORD, from("198.51.100.8"))).status).toBe(200);
      expect(await counter(p.url, "dc_rate_limit_refusals_total", 'limit="signInAddress"')).toBe(3);
    } finally {
      await p.close();
    }
  });

  it("invites, transfers, registrations, webhooks and posts are limited per account; every call per address", async () => {
    const limits: LimitsConfig = {
      ...defaultLimits,
      invites: limit(2, 3600),
      transfers: limit(2, 60),
      registrations: limit(2, 3600),
      webhooks: limit(2, 3600),
      posts: limit(2, 3600),
    };
    const p = await startTestPlatform(services, { limits });
    try {
      const token = ((await signUp(p.url, "busy")).body as { result: { data: { token: string } } }).result.data.token;
      const auth = { authorization: `Bearer ${token}` };
      const calls: [string, (i: number) => unknown][] = [
        ["invites.send", () => ({ teamSlug: "no-team", username: "nobody", role: "player" })],
        ["wallets.transfer", (i) => ({ to: "nobody", amount: 1, idempotencyKey: `transfer-key-${i}` })],
        ["registrations.register", () => ({ tournamentSlug: "no-cup" })],
        [
          "webhooks.register",
          () => ({ organizationSlug: "no-org", url: "https://hooks.example.com/x", eventTypes: ["match.completed"] }),
        ],
        ["posts.create", (i) => ({ teamSlug: "no-team", body: `post ${i}` })],
      ];
      for (const [path, input] of calls) {
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await mutate(p.url, path, input(i), auth)).status);
        // Refused or not on their merits (no such team, user, …), the first two count; the third is refused.
        expect(statuses[2], path).toBe(429);
        expect(
          statuses.slice(0, 2).every((s) => s !== 429),
          path,
        ).toBe(true);
      }
    } finally {
      await p.close();
    }

    await services.redis.flushdb();
    const q = await startTestPlatform(services, { limits: { ...defaultLimits, general: limit(30, 60) } });
    try {
      // One batched request of 20 calls takes 20 points: the second is cut off after 10 more.
      const batch = async () =>
        (await (await fetch(`${q.url}/trpc/${Array(20).fill("games.list").join(",")}?batch=1`)).json()) as {
          error?: { data: { code: string } };
        }[];
      expect((await batch()).every((r) => !r.error)).toBe(true);
      const second = await batch();
      expect(second.filter((r) => !r.error)).toHaveLength(10);
      expect(second.filter((r) => r.error?.data.code === "TOO_MANY_REQUESTS")).toHaveLength(10);
    } finally {
      await q.close();
    }
  });

  it("a burst of sign-ups from one address is cut off at the limit", async () => {
    const p = await startTestPlatform(services, { limits: defaultLimits });
    try {
      const before = await users();
      const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => signUp(p.url, `burst${i}`)));
      const ok = answers.filter((a) => a.status === 200).length;
      expect(ok).toBe(defaultLimits.signUp.points);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(25 - ok);
      expect(await users()).toBe(before + ok);
    } finally {
      await p.close();
    }
  });

  it("a batch of 450 calls is refused whole (413) and runs none of them", async () => {
    const p = await startTestPlatform(services);
    try {
      const before = await users();
      const paths = Array(450).fill("identity.signUp").join(",");
      const input = Object.fromEntries(
        Array.from({ length: 450 }, (_, i) => [
          i,
          { username: `batch${i}`, email: `batch${i}@dc.gg`, password: PASSWORD },
        ]),
      );
      const res = await fetch(`${p.url}/trpc/${paths}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { data: unknown } };
      expect(body.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "BATCH_TOO_LARGE" });
      expect(await users()).toBe(before);
      // A batch within the cap runs.
      const small = await fetch(`${p.url}/trpc/${Array(20).fill("games.list").join(",")}?batch=1`);
      expect(small.status).toBe(200);
      expect((await small.json()) as unknown[]).toHaveLength(20);
    } finally {
      await p.close();
    }
  });

  it("a WebSocket message batching more calls than the cap is refused whole and runs none of them", async () => {
    const p = await startTestPlatform(services);
    const ws = new WebSocket(`${p.url.replace(/^http/, "ws")}${LIVE_WS_PATH}`);
    try {
      await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
      const answers: { id: number; error?: { data: { code: string } }; result?: unknown }[] = [];
      ws.on("message", (data: Buffer) => {
        const parsed = JSON.parse(data.toString("utf8")) as (typeof answers)[number] | (typeof answers)[number][];
        answers.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      });
      const before = await users();
      const call = (id: number) => ({
        id,
        method: "mutation",
        params: {
          path: "identity.signUp",
          input: { username: `wsbatch${id}`, email: `wsbatch${id}@dc.gg`, password: PASSWORD },
        },
      });
      ws.send(JSON.stringify(Array.from({ length: 21 }, (_, i) => call(i + 1))));
      await waitFor(() => answers.length >= 21, { timeoutMs: 30_000 });
      expect(answers.every((a) => a.error?.data.code === "BAD_REQUEST")).toBe(true);
      expect(await users()).toBe(before);
      // Within the cap, the calls run.
      ws.send(JSON.stringify([call(100), call(101)]));
      await waitFor(() => answers.filter((a) => a.id >= 100 && a.result).length === 2, { timeoutMs: 30_000 });
      expect(await users()).toBe(before + 2);
    } finally {
      ws.close();
      await p.close();
    }
  });

  it("a body over the limit is refused with 413 before anything runs", async () => {
    const p = await startTestPlatform(services, { bodyLimitBytes: 64 * 1024 });
    try {
      const before = await users();
      const answer = await mutate(p.url, "identity.signUp", {
        username: "bigbody",
        email: "big@dc.gg",
        password: PASSWORD,
        displayName: "x".repeat(128 * 1024),
      });
      expect(answer.status).toBe(413);
      expect(errorOf(answer).data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", reason: "BODY_TOO_LARGE" });
      expect(await users()).toBe(before);
    } finally {
      await p.close();
    }
  });

  it("two server processes share one limit through Redis", async () => {
    const limits = { ...defaultLimits, signUp: limit(4, 3600) };
    const a = await startTestPlatform(services, { limits });
    const b = await startTestPlatform(services, { limits });
    try {
      expect((await signUp(a.url, "share1")).status).toBe(200);
      expect((await signUp(b.url, "share2")).status).toBe(200);
      expect((await signUp(a.url, "share3")).status).toBe(200);
      expect((await signUp(b.url, "share4")).status).toBe(200);
      expect((await signUp(a.url, "share5")).status).toBe(429);
      expect((await signUp(b.url, "share6")).status).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("with Redis gone the limits fail open, counted in a metric", async () => {
    const redis = await privateRedis();
    const p = await startTestPlatform(services, {
      redisUrl: redis.url,
      limits: { ...defaultLimits, signUp: limit(2, 3600) },
    });
    try {
      expect((await signUp(p.url, "open1")).status).toBe(200);
      expect((await signUp(p.url, "open2")).status).toBe(200);
      expect((await signUp(p.url, "open3")).status).toBe(429);

      await redis.kill();
      for (let i = 4; i <= 6; i++) expect((await signUp(p.url, `open${i}`)).status).toBe(200);
      expect(await counter(p.url, "dc_rate_limit_store_errors_total", 'limit="signUp"')).toBeGreaterThanOrEqual(3);
      // The connection's error events are counted too, not swallowed.
      await waitFor(async () => (await counter(p.url, "dc_redis_errors_total")) > 0);
    } finally {
      await p.close();
      await redis.kill();
    }
  });

  it("X-Forwarded-For counts only from a trusted proxy", async () => {
    const limits = { ...defaultLimits, signUp: limit(3, 3600) };
    const direct = await startTestPlatform(services, { limits });
    try {
      // Nobody is trusted: every forged address is the same client.
      const forged = [];
      for (let i = 0; i < 4; i++) forged.push((await signUp(direct.url, `forged${i}`, from(`192.0.2.${i}`))).status);
      expect(forged).toEqual([200, 200, 200, 429]);
    } finally {
      await direct.close();
    }
    await services.redis.flushdb();
    const proxied = await startTestPlatform(services, { limits, trustProxy: ["127.0.0.1"] });
    try {
      // Behind the trusted proxy each forwarded client has its own budget …
      for (let i = 0; i < 4; i++)
        expect((await signUp(proxied.url, `client${i}`, from(`192.0.2.${i}`))).status).toBe(200);
      // … and a client cannot escape it by prepending addresses: only the proxy's entry counts.
      const spoofed = [];
      for (let i = 0; i < 4; i++)
        spoofed.push((await signUp(proxied.url, `spoof${i}`, from(`10.9.9.${i}, 192.0.2.77`))).status);
      expect(spoofed).toEqual([200, 200, 200, 429]);
    } finally {
      await proxied.close();
    }
  });
});
