import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { measureScenarios } from "../src/scenario-bench.ts";

describe("scenario bench", () => {
  const services = useTestServices();

  it("replays query-budget scenarios many times, timing only the measured call", async () => {
    const only = ["teams.create", "teams.bySlug", "tournaments.start", "live.team"];
    const results = await measureScenarios(services.db, {
      calls: 3,
      minCalls: 3,
      maxSeconds: 30,
      warmupCalls: 1,
      only,
    });
    expect(results.map((r) => r.path).sort()).toEqual([...only].sort());
    for (const r of results) {
      expect(r, r.firstError).toMatchObject({ count: 3, errors: 0, violations: 0 });
      // The same exact statement count the query-budget test asserts, replayed outside vitest.
      expect(r.queries).toBe(r.expectedQueries);
      expect(r.p50).toBeGreaterThan(0);
      expect(r.p99).toBeGreaterThanOrEqual(r.p50);
    }
    // Starting a tournament needs a full registration first: that setup is not in the figure.
    expect(results.find((r) => r.path === "tournaments.start")!.setupMs).toBeGreaterThan(
      results.find((r) => r.path === "tournaments.start")!.p50,
    );
  });
});
