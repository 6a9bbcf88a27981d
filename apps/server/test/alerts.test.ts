/**
 * The alerting rules (ops/prometheus/alerts.yml): valid for Prometheus (`promtool check rules`),
 * unit-tested firing and not firing (`promtool test rules`, every alert both ways), with p95
 * thresholds equal to the contract's category table and the hot cache families equal to the
 * code's, a severity P0–P3 on each, and a runbook in docs/runbooks/ behind each runbook_url.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CATEGORIES, DURATION_BUCKETS } from "@deltacrown/api";
import { HOT_CACHE_FAMILIES } from "@deltacrown/domain";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const rulesDir = path.join(repoRoot, "ops/prometheus");

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rules = (
  parse(readFileSync(path.join(rulesDir, "alerts.yml"), "utf8")) as { groups: { rules: Rule[] }[] }
).groups.flatMap((g) => g.rules);
const alertNames = [...new Set(rules.map((r) => r.alert))];

function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile("promtool", args, { cwd: rulesDir, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({
        code: error ? (typeof error.code === "number" ? error.code : 127) : 0,
        output: `${stdout}${stderr}${error && typeof error.code !== "number" ? `\n${error.message}` : ""}`,
      }),
    ),
  );
}

describe("Prometheus alerting rules", () => {
  it("pass promtool check rules (promtool comes from Debian's prometheus package; .ci/run installs it)", async () => {
    const result = await promtool("check", "rules", "alerts.yml");
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("pass their unit tests: promtool test rules alerts.test.yml", async () => {
    const result = await promtool("test", "rules", "alerts.test.yml");
    expect(result.output, result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("have a unit test where each alert fires and one where it stays quiet", () => {
    const tests = (
      parse(readFileSync(path.join(rulesDir, "alerts.test.yml"), "utf8")) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      }
    ).tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of alertNames) {
      const cases = tests.filter((t) => t.alertname === name);
      expect(
        cases.some((c) => c.exp_alerts.length > 0),
        `${name} fires in a test`,
      ).toBe(true);
      expect(
        cases.some((c) => c.exp_alerts.length === 0),
        `${name} stays quiet in a test`,
      ).toBe(true);
    }
    expect(alertNames.length).toBeGreaterThanOrEqual(20);
  });

  it("carry a P0–P3 severity, a summary, a description and an existing runbook", () => {
    const runbooks = new Set<string>();
    for (const rule of rules) {
      expect(rule.labels.severity, rule.alert).toMatch(/^P[0-3]$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.description, rule.alert).toBeTruthy();
      const runbook = rule.annotations.runbook_url!;
      expect(runbook, rule.alert).toMatch(/^docs\/runbooks\/[a-z0-9-]+\.md$/);
      const file = path.join(repoRoot, runbook);
      expect(existsSync(file), `${rule.alert}: ${runbook}`).toBe(true);
      const text = readFileSync(file, "utf8");
      expect(text.split("\n")[0], runbook).toBe(`# ${rule.alert} (${rule.labels.severity})`);
      for (const section of ["**What it means.**", "**Confirm", "**What to do"])
        expect(text, runbook).toContain(section);
      runbooks.add(path.basename(runbook));
    }
    // Every P level is used, and no runbook page is left without its alert.
    expect(new Set(rules.map((r) => r.labels.severity))).toEqual(new Set(["P0", "P1", "P2", "P3"]));
    const pages = readdirSync(path.join(repoRoot, "docs/runbooks")).filter((f) => f !== "README.md");
    expect(pages.sort()).toEqual([...runbooks].sort());
  });

  it("alert on p95 per contract category at exactly the category table's budgets", () => {
    const p95 = rules.filter((r) => r.alert === "DeltaCrownP95OverBudget");
    expect(p95.map((r) => r.labels.category).sort()).toEqual(Object.keys(CATEGORIES).sort());
    for (const rule of p95) {
      const category = rule.labels.category as keyof typeof CATEGORIES;
      const seconds = CATEGORIES[category].p95Ms / 1000;
      const expr = rule.expr.replace(/\s+/g, " ").trim();
      expect(expr).toBe(
        `histogram_quantile(0.95, sum by (le) (rate(dc_procedure_duration_seconds_bucket{category="${category}"}[10m]))) > ${seconds} ` +
          `and sum(rate(dc_procedure_duration_seconds_count{category="${category}"}[10m])) > 0.05`,
      );
      expect(rule.annotations.summary).toContain(`${CATEGORIES[category].p95Ms} ms budget`);
      // histogram_quantile interpolates inside a bucket: a budget on a bucket edge is compared exactly.
      expect(DURATION_BUCKETS, `${category}'s budget is a duration bucket`).toContain(seconds);
    }
  });

  it("watch the hit ratio of exactly the code's hot cache families", () => {
    const rule = rules.find((r) => r.alert === "DeltaCrownCacheHitRatioLow")!;
    const regexes = [...rule.expr.matchAll(/family=~"([^"]+)"/g)].map((m) => m[1]!);
    expect(regexes.length).toBe(3);
    for (const regex of regexes) expect(regex.split("|").sort()).toEqual([...HOT_CACHE_FAMILIES].sort());
    expect(rule.expr).toMatch(/< 0\.8\b/);
  });
});
