/**
 * The client's batch cap against the real server: 21 queries in one tick (one more than the
 * server's default BATCH_MAX_CALLS) are split into two batched requests and all succeed; a client
 * allowed to batch more is refused whole with 413 BATCH_TOO_LARGE, so the cap is what saves them.
 */
import { createClient, isApiError } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

describe("the client's batch cap", () => {
  const services = useTestServices();
  let platform: Platform;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services);
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** Real fetch, counting the HTTP requests the client makes. */
  function counted() {
    const requests: (string | URL | Request)[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      requests.push(input);
      return globalThis.fetch(input, init);
    };
    return { requests, fetch };
  }

  it("splits 21 calls in one tick into two requests, and every call succeeds", async () => {
    const { requests, fetch } = counted();
    const dc = createClient({ url: platform.url, fetch });
    const slugs = demoGames.map((g) => g.slug);
    const calls = Array.from({ length: 21 }, (_, i) => dc.games.bySlug.query({ slug: slugs[i % slugs.length]! }));
    const games = await Promise.all(calls);
    expect(games.map((g) => g.slug)).toEqual(calls.map((_, i) => slugs[i % slugs.length]));
    expect(requests).toHaveLength(2);
  });

  it("without the cap the server refuses the whole batch (BATCH_TOO_LARGE)", async () => {
    const dc = createClient({ url: platform.url, maxBatchItems: 100 });
    const results = await Promise.allSettled(Array.from({ length: 21 }, () => dc.games.list.query()));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const reason = (results[0] as PromiseRejectedResult).reason as unknown;
    expect(isApiError(reason) && reason.data?.reason).toBe("BATCH_TOO_LARGE");
  });
});
