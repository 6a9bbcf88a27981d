/**
 * `pnpm --filter @deltacrown/web build` runs this after `vite build`: the JavaScript a first
 * visit downloads before the page can render (the entry, everything it imports statically, and
 * the modulepreload links) must stay under the budget, gzipped. Prints the size; exits 1 over it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 150 * 1024;
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const html = readFileSync(path.join(dist, "index.html"), "utf8");

const initial = new Set<string>();
const queue = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g),
].map((m) => m[1]!);
// Static imports only: `import("./x.js")` (a lazy page) is not part of the first download.
const staticImport = /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*\sfrom\s*)?["'](\.\/[^"']+\.js)["']/g;
while (queue.length > 0) {
  const file = queue.pop()!;
  if (initial.has(file)) continue;
  initial.add(file);
  const code = readFileSync(path.join(dist, file), "utf8");
  for (const m of code.matchAll(staticImport)) queue.push(path.posix.join(path.posix.dirname(file), m[1]!));
}

let total = 0;
for (const file of [...initial].sort()) {
  const gz = gzipSync(readFileSync(path.join(dist, file))).length;
  total += gz;
  process.stdout.write(`  ${file}  ${(gz / 1024).toFixed(1)} kB gzipped\n`);
}
const kb = (total / 1024).toFixed(1);
process.stdout.write(`initial JavaScript: ${kb} kB gzipped (budget ${BUDGET_BYTES / 1024} kB)\n`);
if (total > BUDGET_BYTES) {
  process.stderr.write(`initial JavaScript ${kb} kB is over the ${BUDGET_BYTES / 1024} kB budget\n`);
  process.exit(1);
}
