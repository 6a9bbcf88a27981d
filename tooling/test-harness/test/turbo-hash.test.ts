/**
 * turbo caches build, typecheck and lint per package; a change to the shared tooling configs must miss
 * that cache everywhere (before this test, editing tooling/typescript/base.json replayed cached
 * passes). Runs turbo's own dry run on a copy of the repository's tracked files, edits each
 * config there, and compares every task's hash.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const turbo = path.join(repoRoot, "node_modules/.bin/turbo");

let copy: string;

function taskHashes(): Map<string, string> {
  const out = execFileSync(turbo, ["run", "build", "typecheck", "lint", "--dry=json"], {
    cwd: copy,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const dry = JSON.parse(out) as { tasks: { taskId: string; hash: string; command: string }[] };
  // Only tasks that run something (tooling packages have no typecheck script of their own).
  return new Map(dry.tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.hash]));
}

describe("turbo task hashes", () => {
  beforeAll(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), "dc-turbo-"));
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
      .split("\n")
      .filter((f) => f !== "" && !f.startsWith("node_modules/"));
    for (const f of files) {
      mkdirSync(path.join(copy, path.dirname(f)), { recursive: true });
      cpSync(path.join(repoRoot, f), path.join(copy, f), { force: true, errorOnExist: false });
    }
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it.each([
    "tooling/typescript/base.json",
    "tooling/typescript/build.json",
    "tooling/eslint/base.js",
    "eslint.config.js",
  ])("change for every package's build, typecheck and lint when %s changes", (file) => {
    const before = taskHashes();
    expect([...before.keys()]).toEqual(
      expect.arrayContaining([
        "@deltacrown/api#typecheck",
        "@deltacrown/api#lint",
        "@deltacrown/server#lint",
        "@deltacrown/server#build",
      ]),
    );
    appendFileSync(path.join(copy, file), "\n");
    const after = taskHashes();
    for (const [task, hash] of before) expect(after.get(task), task).not.toBe(hash);
  });
});
