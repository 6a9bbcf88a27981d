import type { BenchResults } from "./results.ts";

/** The console table of a run: every procedure next to the calibration servers. */
export function formatTable(r: BenchResults): string {
  const sel = r.calibration["bare-select"];
  const rows: string[][] = [
    [
      "procedure",
      "q/call",
      "budget",
      "in-proc p50/p95 ms",
      "http cached req/s",
      "p50/p95/p99 ms",
      "http uncached req/s",
      "p50/p95/p99 ms",
      "× bare select",
    ],
  ];
  for (const [name, s] of Object.entries(r.calibration)) {
    rows.push([
      `[calibration] ${name}`,
      name === "bare-select" ? "1" : "0",
      "",
      "",
      `${s.rps}`,
      `${s.p50}/${s.p95}/${s.p99}`,
      "",
      "",
      name === "bare-select" ? "1.00" : (s.rps / sel.rps).toFixed(2),
    ]);
  }
  for (const p of r.procedures) {
    const ip = p.inProcess.uncached ?? p.inProcess.cached;
    const hc = p.http?.cached;
    const hu = p.http?.uncached;
    rows.push([
      p.path,
      `${ip?.queries ?? "-"}${p.inProcess.cached && p.inProcess.uncached && p.inProcess.cached.queries !== p.inProcess.uncached.queries ? ` (${p.inProcess.cached.queries} hit)` : ""}`,
      `${p.budgetQueries}`,
      ip ? `${ip.p50}/${ip.p95}` : "-",
      hc ? `${hc.rps}` : "-",
      hc ? `${hc.p50}/${hc.p95}/${hc.p99}` : "-",
      hu ? `${hu.rps}` : "-",
      hu ? `${hu.p50}/${hu.p95}/${hu.p99}` : "-",
      hu ? `${(hu.rps / (p.http?.bareSelect ?? sel).rps).toFixed(2)}` : "-",
    ]);
  }
  const lines = aligned(rows);
  if (r.scenarios?.length) {
    lines.push("");
    lines.push(
      ...aligned([
        ["procedure (through its scenario)", "category", "q/call", "budget", "p50/p95/p99 ms", "p95 budget", "calls"],
        ...r.scenarios.map((s) => [
          s.path,
          s.category,
          `${s.queries}`,
          `${s.budgetQueries}`,
          `${s.p50}/${s.p95}/${s.p99}`,
          `${s.latencyBudgetMs}`,
          `${s.count}${s.errors ? ` (${s.errors} failed: ${s.firstError ?? "?"})` : ""}`,
        ]),
      ]),
    );
  }
  for (const s of r.skipped) lines.push(`skipped ${s.path}: ${s.reason}`);
  for (const a of r.aims) lines.push(`aim ${a.met ? "met   " : "MISSED"} ${a.name}: ${a.value} (${a.target})`);
  return lines.join("\n");
}

/** Rows padded to their columns, a rule under the header. */
function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  return lines;
}
