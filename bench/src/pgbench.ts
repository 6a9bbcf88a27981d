import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** pgbench from the server's own bin directory (`pg_config --bindir`), else the one on the PATH. */
export function pgbenchBinary(): string {
  try {
    const bindir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
    const candidate = path.join(bindir, "pgbench");
    if (existsSync(candidate)) return candidate;
  } catch {
    // no pg_config: fall back to the PATH
  }
  return "pgbench";
}

/** Creates pgbench's tables (scale `scale`: 100,000 accounts each) in the database at `url`. */
export function initPgbench(url: string, scale = 10): void {
  execFileSync(pgbenchBinary(), ["-i", "-q", "-s", String(scale), url], { stdio: "ignore" });
}

/**
 * pgbench's TPC-B-like run (after initPgbench) on the database at `url`: transactions per second
 * at `clients` clients for `seconds` — the calibration of a write path: five statements in one
 * transaction on the same server, with the same fsync.
 */
export function pgbenchTpcb(url: string, clients: number, seconds: number): number {
  const text = execFileSync(
    pgbenchBinary(),
    ["-n", "-c", String(clients), "-j", "2", "-T", String(Math.max(1, Math.round(seconds))), url],
    { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
  return Number(/tps = ([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
}
