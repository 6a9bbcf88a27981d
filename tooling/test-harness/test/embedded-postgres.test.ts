import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@deltacrown/db/embedded";
import { adminQuery } from "../src/pg-admin.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// mkdtemp makes a 0700 dir: the case where the postgres user (when running as root) could not reach the data.
const scratch = mkdtempSync(path.join(os.tmpdir(), "dc-embedded-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const query = (url: string, text: string) => adminQuery(url, [text]);

describe("startEmbeddedPostgres", () => {
  it("keeps a persistent cluster's data across restarts (what `pnpm start` relies on)", async () => {
    const dataDir = path.join(scratch, "persistent");
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.url).toBe(`postgres://postgres:postgres@127.0.0.1:${first.port}/postgres`);
      await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('é')");
    } finally {
      await first.stop();
    }
    await expect(query(first.url, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(second.url, "SELECT upper(v) AS v FROM kept")).toEqual([{ v: "É" }]);
    } finally {
      await second.stop();
    }
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
  });

  it("rejects with the server's own words when the port is taken", async () => {
    const holder = await startEmbeddedPostgres({ dataDir: path.join(scratch, "holder"), persistent: false });
    try {
      const clash = startEmbeddedPostgres({
        dataDir: path.join(scratch, "clash"),
        port: holder.port,
        persistent: false,
      });
      await expect(clash).rejects.toThrow(/start failed[\s\S]*could not bind/);
      expect(existsSync(path.join(scratch, "clash"))).toBe(false);
    } finally {
      await holder.stop();
    }
  });

  // The library's exit hook used to call process.exit(0) on 'beforeExit', turning failing runs green.
  it("leaves the process exit code alone and removes a non-persistent cluster", () => {
    const dataDir = path.join(scratch, "exit-code");
    const script = path.join(scratch, "exit-code.mts"); // .mts: ESM (top-level await) outside any package
    const modulePath = path.join(repoRoot, "packages/db/src/embedded-postgres.ts");
    writeFileSync(
      script,
      `import { startEmbeddedPostgres } from ${JSON.stringify(modulePath)};\n` +
        `const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, persistent: false });\n` +
        `await server.stop();\nprocess.exitCode = 3;\n`,
    );
    const child = spawnSync(path.join(repoRoot, "node_modules/.bin/tsx"), [script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
    expect(existsSync(dataDir)).toBe(false);
  });

  // `pnpm start` killed with SIGKILL runs no exit hook, and postgres (in its own process group)
  // stays up holding postmaster.pid: the next start used to fail on that lock.
  it("takes over a data dir whose owner was killed, stopping the postgres it left behind", async () => {
    const dataDir = path.join(scratch, "orphan");
    const script = path.join(scratch, "orphan.mts");
    const modulePath = path.join(repoRoot, "packages/db/src/embedded-postgres.ts");
    writeFileSync(
      script,
      `import { startEmbeddedPostgres } from ${JSON.stringify(modulePath)};\n` +
        `const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });\n` +
        `console.log(server.url);\nsetInterval(() => {}, 1000);\n`,
    );
    // node itself, not the tsx CLI: SIGKILL must hit the process that owns postgres, not a wrapper.
    const owner = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const [firstLine] = (await once(owner.stdout, "data")) as [Buffer];
    owner.stdout.resume(); // read to the end, so the pipe closes when the owner dies
    await query(firstLine.toString().trim(), "CREATE TABLE survived (v int); INSERT INTO survived VALUES (7)");
    const orphanPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    owner.kill("SIGKILL");
    await once(owner, "exit");
    expect(() => process.kill(orphanPid, 0)).not.toThrow(); // still serving, ownerless

    const next = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(next.url, "SELECT v FROM survived")).toEqual([{ v: 7 }]);
      expect(() => process.kill(orphanPid, 0)).toThrow();
    } finally {
      await next.stop();
    }
  });
});
