/**
 * `pnpm start` tells the operator where its embedded database is and how to point the operator
 * commands at it: the printed DATABASE_URL is the one the platform uses, and `pnpm migrate` and
 * `pnpm jobs failed` run against it while the platform runs.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { waitFor } from "@deltacrown/test-harness";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, startCommand, type RunningProcess } from "./processes.support.ts";

const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

function command(file: string, args: string[], databaseUrl: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(
      tsx,
      ["--conditions=source", path.join(repoRoot, file), ...args],
      { cwd: repoRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    ),
  );
}

describe("pnpm start on the embedded database", () => {
  // 0755 parents: the embedded cluster runs as the postgres user (see FIELD-NOTES).
  const dataDir = path.join(repoRoot, ".data", `start-test-${process.pid}`);
  let start: RunningProcess | undefined;
  afterAll(async () => {
    await start?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("prints the DATABASE_URL it runs on and the operator commands, which work against it", async () => {
    mkdirSync(path.join(repoRoot, ".data"), { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DC_DATA_DIR: dataDir, NO_COLOR: "1" };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    // `pnpm start` itself, in a process group of its own: Ctrl-C below signals the whole group,
    // as a terminal does (pnpm, tsx, node and the embedded Postgres alike).
    const pnpm = process.env.npm_execpath;
    start = pnpm?.endsWith(".cjs")
      ? startCommand(process.execPath, [pnpm, "start"], env, { detached: true })
      : startCommand("pnpm", ["start"], env, { detached: true });
    const said = () => start!.lines.map((l) => (typeof l.raw === "string" ? l.raw : "")).join("\n");
    await waitFor(() => said().includes("Stop with Ctrl-C."), { timeoutMs: 180_000, intervalMs: 200 });
    const text = said();

    const url = /^Database: (postgres:\/\/\S+) {3}\(embedded, data in /m.exec(text)?.[1];
    expect(url, text).toMatch(/^postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(text).toContain(`export DATABASE_URL='${url}'`);
    for (const operator of ["pnpm migrate", "pnpm jobs failed", "pnpm admin staff grant", "--help"])
      expect(text).toContain(operator);
    expect(text).toMatch(/^migrate: applying \S+ \(1\/\d+\)…$/m);
    // The web app (built on a first start when apps/web/dist is missing) on the same origin.
    expect(text).toMatch(/^Web app: http:\/\/127\.0\.0\.1:\d+\/ /m);

    const migrate = await command("packages/db/src/migrate-cli.ts", [], url!);
    expect(migrate).toMatchObject({ code: 0, stdout: expect.stringContaining("schema already up to date") });
    const jobs = await command("apps/worker/src/jobs-cli.ts", ["failed"], url!);
    expect(jobs).toEqual({ code: 0, stdout: "no failed jobs\n" });

    // Ctrl-C: one line, exit 0, Postgres stopped after the pools closed (no "terminating
    // connection" dumps), and no ELIFECYCLE from pnpm.
    process.kill(-start.child.pid!, "SIGINT");
    expect(await start.exited, start.stderr()).toBe(0);
    const after = said().slice(text.length);
    expect(after.trim()).toBe("stopping DeltaCrown (requests, jobs, then Postgres) … stopped.");
    expect(start.stderr()).not.toMatch(/terminating connection|ELIFECYCLE|\n\s+at /);
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await expect(probe.connect()).rejects.toThrow();
  }, 240_000);
});
