import { describe, expect, it } from "vitest";
import { AbuseLimits, defaultLimits } from "../src/index.ts";

// Without Redis the limits live in memory, where rate-limiter-flexible expires a key with
// setTimeout: a lifetime past 2^31-1 ms fires at once, and a 30-day "known address" was forgotten
// a millisecond after sign-in (seen as a TimeoutOverflowWarning in `pnpm start`).
describe("in-memory abuse limits", () => {
  it("count and refuse without Redis, each key on its own, with the seconds to wait", async () => {
    const limits = new AbuseLimits({
      config: { ...defaultLimits, signUp: { points: 2, durationSeconds: 3600, blockSeconds: 0 } },
    });
    expect(await limits.take("signUp", "203.0.113.7")).toBeUndefined();
    expect(await limits.take("signUp", "203.0.113.7")).toBeUndefined();
    const wait = await limits.take("signUp", "203.0.113.7");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await limits.take("signUp", "203.0.113.8")).toBeUndefined();
  });

  it("remember an address that signed into an account after the timers have run", async () => {
    const limits = new AbuseLimits({ config: defaultLimits });
    await limits.rememberAddress("alice", "203.0.113.7");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await limits.isKnownAddress("alice", "203.0.113.7")).toBe(true);
    expect(await limits.isKnownAddress("alice", "203.0.113.8")).toBe(false);
    expect(await limits.isKnownAddress("bruno", "203.0.113.7")).toBe(false);
  });
});
