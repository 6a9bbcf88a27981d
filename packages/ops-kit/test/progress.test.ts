import { describe, expect, it } from "vitest";
import { progress } from "../src/progress.ts";

describe("progress lines", () => {
  it("prints each 10% step, lines after a quiet second, and a closing line with the time", () => {
    const lines: string[] = [];
    let t = 0;
    const p = progress("explain", 100, { write: (l) => lines.push(l), now: () => t });
    for (let i = 0; i < 25; i++) p.tick();
    expect(lines).toEqual(["explain: 10/100 (10%)", "explain: 20/100 (20%)"]);
    t = 1500; // a slow item: the next tick reports even inside the same 10%
    p.tick();
    expect(lines.at(-1)).toBe("explain: 26/100 (26%)");
    p.tick(74);
    t = 3200;
    p.done("2 findings");
    expect(lines.at(-1)).toBe("explain: 100/100 done in 3.2 s — 2 findings");
    expect(lines.filter((l) => l.includes("100/100"))).toHaveLength(1);
  });
});
