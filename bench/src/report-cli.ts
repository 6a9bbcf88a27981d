/*
 * `pnpm bench:report`: renders bench/results/latest.json (and loadtest-latest.json /
 * loadtest-max-latest.json / tournaments-latest.json when present) to docs/performance.md and docs/img/*.svg.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { BenchResults, LoadtestResults } from "./results.ts";
import type { TournamentsBenchResults } from "./tournaments-report.ts";

parseCommand({
  name: "pnpm bench:report",
  summary:
    "render bench/results/*.json (from pnpm bench, loadtest, bench:tournaments) to docs/performance.md and docs/img/*.svg",
  exitCodes: { 2: "no bench/results/latest.json: run pnpm bench first" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the report renderer.
const { repoRoot } = await import("./dataset.ts");
const { prettify } = await import("./format.ts");
const { renderReport } = await import("./report.ts");
const { SECTION_END, SECTION_START, spliceSection } = await import("./tournaments-report.ts");

const resultsDir = path.join(repoRoot, "bench/results");
const read = <T>(name: string): T | undefined => {
  const file = path.join(resultsDir, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
};

const bench = read<BenchResults>("latest.json");
if (!bench) {
  process.stderr.write("no bench/results/latest.json: run `pnpm bench` first\n");
  process.exit(2);
}
const tournaments = read<TournamentsBenchResults>("tournaments-latest.json");
const report = renderReport(
  bench,
  read<LoadtestResults>("loadtest-latest.json"),
  read<LoadtestResults>("loadtest-max-latest.json"),
  tournaments,
);
const markdownPath = path.join(repoRoot, "docs/performance.md");
// bench/results is not committed: without a tournaments run here, keep the section already in the file.
if (!tournaments && existsSync(markdownPath)) {
  const old = readFileSync(markdownPath, "utf8");
  const start = old.indexOf(SECTION_START);
  const end = old.indexOf(SECTION_END);
  if (start >= 0 && end > start)
    report.markdown = spliceSection(report.markdown, old.slice(start + SECTION_START.length, end));
}
mkdirSync(path.join(repoRoot, "docs/img"), { recursive: true });
for (const [name, svg] of Object.entries(report.images)) writeFileSync(path.join(repoRoot, "docs/img", name), svg);
writeFileSync(markdownPath, await prettify(report.markdown, markdownPath));
process.stdout.write(`wrote docs/performance.md and ${Object.keys(report.images).length} charts in docs/img/\n`);
