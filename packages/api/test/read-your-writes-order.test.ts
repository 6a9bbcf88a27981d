/**
 * A session's read-your-writes position only moves forward: two of its writes finishing out of
 * order (the later LSN recorded first) must not send its reads to a replica that has not replayed
 * the later write. Against the harness's real Redis.
 */
import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { recordMaxLsn } from "../src/reads/read-routing.ts";

describe("the session's last-write LSN in Redis", () => {
  const services = useTestServices();

  it("keeps the larger position whatever order the writes report in, and renews its TTL", async () => {
    const key = "dc:ryw:order-test";
    expect(await recordMaxLsn(services.redis, key, "0/5A000000", 60_000)).toBe(1);
    // An earlier write reporting late does not move it back.
    expect(await recordMaxLsn(services.redis, key, "0/4FFFFFFF", 120_000)).toBe(0);
    expect(await services.redis.get(key)).toBe("0/5A000000");
    expect(await services.redis.pttl(key)).toBeGreaterThan(60_000);
    // Ordered as WAL positions, not as text: "1/0" is after "0/FFFFFFFF", "0/A" after "0/9".
    expect(await recordMaxLsn(services.redis, key, "1/0", 60_000)).toBe(1);
    expect(await recordMaxLsn(services.redis, key, "0/FFFFFFFF", 60_000)).toBe(0);
    expect(await services.redis.get(key)).toBe("1/0");
    expect(await recordMaxLsn(services.redis, "dc:ryw:short", "0/9", 60_000)).toBe(1);
    expect(await recordMaxLsn(services.redis, "dc:ryw:short", "0/a", 60_000)).toBe(1);
    expect(await services.redis.get("dc:ryw:short")).toBe("0/a");
  });
});
