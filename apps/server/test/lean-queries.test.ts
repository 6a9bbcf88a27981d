/**
 * The lean query path (src/lean-queries.ts) against tRPC's official request layer: the same raw
 * requests to two platforms over one database and Redis — one with the lean path (the default),
 * one with LEAN_QUERIES=off — must get byte-identical bodies, equal statuses and equal headers
 * (but the date). Each request carries the same x-request-id, which error bodies echo. The lean
 * platform must really have answered the GET queries itself (its counter), and left everything
 * else (mutations, POST, HEAD, streaming) to the official layer.
 */
import { defaultLimits, type LimitsConfig } from "@deltacrown/api";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mutate } from "./http.support.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

async function send(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init);
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers) if (name !== "date") headers[name] = value;
  return { status: res.status, body: await res.text(), headers };
}

const q = (input: unknown) => encodeURIComponent(JSON.stringify(input));
let requestNumber = 0;

describe("the lean query path answers exactly as tRPC's official adapter", () => {
  const services = useTestServices();
  let token = "";

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
  });
  beforeEach(async () => {
    await services.redis.flushdb();
  });

  /** Sends the request to both platforms (official first) and returns both answers. */
  async function both(
    lean: string,
    official: string,
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ) {
    const id = `diff-${++requestNumber}`;
    const withId = { ...init, headers: { ...init.headers, "x-request-id": id } };
    const a = await send(official, path, withId);
    const b = await send(lean, path, withId);
    return { official: a, lean: b };
  }

  it("GET queries, single and batched, good and bad, signed in and not: identical answers", async () => {
    const stats = { served: 0, preSerialized: 0 };
    const lean = await startTestPlatform(services, { leanStats: stats });
    const officialStats = { served: 0, preSerialized: 0 };
    const official = await startTestPlatform(services, { leanQueries: false, leanStats: officialStats });
    try {
      const signUp = await mutate(lean.url, "identity.signUp", {
        username: "lena",
        email: "lena@dc.gg",
        password: "long-enough-pw",
      });
      token = (signUp.body as { result: { data: { token: string } } }).result.data.token;
      const auth = { authorization: `Bearer ${token}` };
      expect(
        (await mutate(lean.url, "teams.create", { name: "Lean Five", tag: "LEAN", gameSlug: "valorant" }, auth)).status,
      ).toBe(200);

      const served: { path: string; headers?: Record<string, string>; status: number }[] = [
        // good, single
        { path: `/trpc/teams.bySlug?input=${q({ slug: "lean-five" })}`, status: 200 },
        { path: `/trpc/games.list`, status: 200 },
        { path: `/trpc/identity.me`, headers: auth, status: 200 },
        // a query read twice: the second answer comes from the cache on both sides
        { path: `/trpc/teams.bySlug?input=${q({ slug: "lean-five" })}`, status: 200 },
        // repeats: the lean side answers from the pre-serialized text (single and batched)
        ...Array.from({ length: 3 }, () => ({
          path: `/trpc/teams.bySlug?input=${q({ slug: "lean-five" })}`,
          status: 200,
        })),
        ...Array.from({ length: 3 }, () => ({
          path: `/trpc/rankings.leaderboard?input=${q({ gameSlug: "valorant", limit: 100 })}`,
          status: 200,
        })),
        ...Array.from({ length: 2 }, () => ({
          path: `/trpc/rankings.leaderboard,teams.bySlug,teams.bySlug?batch=1&input=${q({
            0: { gameSlug: "valorant", limit: 100 },
            1: { slug: "lean-five" },
            2: { slug: "nobody-here" },
          })}`,
          status: 207,
        })),
        { path: `/trpc/rankings.leaderboard?input=${q({ gameSlug: "valorant", limit: 101 })}`, status: 400 },
        // bad input: field errors
        { path: `/trpc/teams.bySlug?input=${q({ slug: 42 })}`, status: 400 },
        { path: `/trpc/teams.bySlug?input=${q({})}`, status: 400 },
        { path: `/trpc/teams.bySlug`, status: 400 },
        { path: `/trpc/teams.search?input=${q({ gameSlug: "valorant", limit: 5000 })}`, status: 400 },
        // input that is not JSON at all
        { path: `/trpc/teams.bySlug?input=%7Bnot-json`, status: 400 },
        // not found (a domain error with a reason)
        { path: `/trpc/teams.bySlug?input=${q({ slug: "nobody-here" })}`, status: 404 },
        // unauthorized: no token, a bad token
        { path: `/trpc/teams.mine`, status: 401 },
        { path: `/trpc/identity.me`, headers: { authorization: "Bearer not-a-session" }, status: 401 },
        // unknown procedure, single and batched
        { path: `/trpc/teams.nope`, status: 404 },
        { path: `/trpc/teams.nope,games.nope?batch=1&input=${q({})}`, status: 404 },
        // batched: all good, then mixed failures (207)
        {
          path: `/trpc/teams.bySlug,games.list?batch=1&input=${q({ 0: { slug: "lean-five" } })}`,
          status: 200,
        },
        {
          path: `/trpc/teams.bySlug,teams.bySlug,teams.mine,teams.nope,games.list?batch=1&input=${q({
            0: { slug: "lean-five" },
            1: { slug: 7 },
          })}`,
          status: 207,
        },
        { path: `/trpc/teams.mine,identity.me?batch=1&input=${q({})}`, headers: auth, status: 200 },
        // a batch whose input is not an object (a call that reads no input still succeeds)
        { path: `/trpc/teams.bySlug,games.list?batch=1&input=${q([{ slug: "lean-five" }])}`, status: 207 },
        { path: `/trpc/teams.bySlug,games.list?batch=1&input=%5Bbroken`, status: 207 },
        { path: `/trpc/teams.bySlug,teams.search?batch=1&input=%5Bbroken`, status: 400 },
        // a JSON content type on a GET is still a GET
        {
          path: `/trpc/teams.bySlug?input=${q({ slug: "lean-five" })}`,
          headers: { "content-type": "application/json" },
          status: 200,
        },
      ];
      for (const request of served) {
        const before = stats.served;
        const { official: a, lean: b } = await both(lean.url, official.url, request.path, {
          headers: request.headers ?? {},
        });
        expect({ path: request.path, ...b }).toEqual({ path: request.path, ...a });
        expect({ path: request.path, status: b.status }).toEqual({ path: request.path, status: request.status });
        expect(stats.served, `${request.path} was not answered by the lean path`).toBe(before + 1);
      }
      // The official platform never took the lean path; the lean one answered repeats from text
      // (the team page's 3 repeats and the board's 2, then 2 batches of 2 hits each, at least).
      expect(officialStats.served).toBe(0);
      expect(stats.preSerialized).toBeGreaterThanOrEqual(6);

      // Not served by the lean path (identical, because the official layer answers both).
      const notServed: { path: string; init: RequestInit & { headers?: Record<string, string> }; status: number }[] = [
        // wrong method: GET on a mutation, POST on a query, a batch mixing a mutation in
        {
          path: `/trpc/teams.create?input=${q({ name: "X", tag: "X", gameSlug: "valorant" })}`,
          init: { headers: auth },
          status: 405,
        },
        {
          path: `/trpc/games.list`,
          init: { method: "POST", headers: { "content-type": "application/json" }, body: "" },
          status: 405,
        },
        { path: `/trpc/games.list,teams.create?batch=1&input=${q({})}`, init: {}, status: 400 },
        // oversized batch: refused before either path
        { path: `/trpc/${Array(21).fill("games.list").join(",")}?batch=1&input=${q({})}`, init: {}, status: 413 },
        // HEAD and streaming batches stay with tRPC
        { path: `/trpc/games.list`, init: { method: "HEAD" }, status: 204 },
        {
          path: `/trpc/games.list?batch=1&input=${q({})}`,
          init: { headers: { "trpc-accept": "application/jsonl" } },
          status: 200,
        },
        // a malformed percent-encoding in the path
        { path: `/trpc/games%25E0.list`, init: {}, status: 400 },
      ];
      for (const request of notServed) {
        const before = stats.served;
        const { official: a, lean: b } = await both(lean.url, official.url, request.path, request.init);
        expect({ path: request.path, ...b }).toEqual({ path: request.path, ...a });
        expect({ path: request.path, status: b.status }).toEqual({ path: request.path, status: request.status });
        expect(stats.served, `${request.path} should have gone to the official adapter`).toBe(before);
      }
    } finally {
      await Promise.all([lean.close(), official.close()]);
    }
  });

  it("a rate-limited query: the same 429, retryAfter and Retry-After header", async () => {
    const limits: LimitsConfig = {
      ...defaultLimits,
      general: { points: 2, durationSeconds: 600, blockSeconds: 0 },
    };
    // Counts from zero: the tests above may have spent this address's points on the same Redis keys
    // (rate-limiter-flexible keeps a count for the window of the limit that started it).
    const spent = await services.redis.keys("dc:rl:*");
    if (spent.length > 0) await services.redis.del(...spent);
    const stats = { served: 0, preSerialized: 0 };
    const lean = await startTestPlatform(services, { limits, leanStats: stats });
    const official = await startTestPlatform(services, { limits, leanQueries: false });
    try {
      // Both platforms share the Redis counters: two calls use the address's points up.
      for (let i = 0; i < 2; i++) expect((await send(lean.url, "/trpc/games.list")).status).toBe(200);
      const single = await both(lean.url, official.url, "/trpc/games.list");
      const batch = await both(lean.url, official.url, `/trpc/games.list,games.list?batch=1&input=${q({})}`);
      for (const { official: a, lean: b } of [single, batch]) {
        expect(b.status).toBe(429);
        // The wait counts down between the two requests: equal but for a second's tick.
        const wait = (x: Answer) => Number(x.headers["retry-after"]);
        expect(Math.abs(wait(a) - wait(b))).toBeLessThanOrEqual(1);
        expect(wait(b)).toBeGreaterThan(0);
        const same = (x: Answer) => ({
          ...x,
          body: x.body.replaceAll(/"retryAfter":\d+/g, '"retryAfter":N'),
          headers: { ...x.headers, "retry-after": "N" },
        });
        expect(same(b)).toEqual(same(a));
        expect(b.body).toContain(`"retryAfter":${wait(b)}`);
      }
      expect(stats.served).toBe(4);
    } finally {
      await Promise.all([lean.close(), official.close()]);
    }
  });
});
