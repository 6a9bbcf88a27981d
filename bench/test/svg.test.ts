import { describe, expect, it } from "vitest";
import { barChartSvg } from "../src/svg.ts";

describe("SVG charts", () => {
  it("renders bars, budget markers, references and escapes labels", () => {
    const svg = barChartSvg({
      title: "Latency <ms>",
      labels: ["teams.bySlug", "games.list"],
      series: [
        { name: "p50", color: "#111", values: [1.5, 0.2] },
        { name: "p95", color: "#222", values: [3, undefined] },
      ],
      markers: { name: "budget", color: "#f00", values: [50, 100] },
      references: [{ name: "bare select", color: "#00f", value: 20 }],
      unit: "ms",
      log: true,
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain("Latency &lt;ms&gt;");
    expect(svg.match(/<rect x="190"/g)).toHaveLength(3); // the undefined value draws no bar
    expect(svg).toContain("<title>teams.bySlug p95: 3</title>");
    expect(svg).toContain("<title>budget: 100</title>");
    expect(svg).toContain("stroke-dasharray");
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});
