/**
 * Every operator command (each `tsx` script of the root package.json, the two production entry
 * points, the CI smoke check) parses its arguments with the one shared parser: `--help` prints
 * usage and does NOTHING else (`pnpm migrate --help` used to migrate, `check:performance --help`
 * to run the check), and an unknown flag is refused with exit 2 before anything happens. Run as
 * real processes against an empty database that must stay empty.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@deltacrown/test-harness";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

interface Command {
  name: string;
  file: string;
  args: string[];
}

/** The root scripts that run one of our files with tsx, and the two production entry points (from sources here). */
function commands(): Command[] {
  const root = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const found: Command[] = [];
  for (const [script, line] of Object.entries(root.scripts)) {
    const match = /^(?:exec )?(?:node --import )?tsx (\S+\.m?ts)((?: --?[\w-]+)*)$/.exec(line);
    if (match)
      found.push({ name: `pnpm ${script}`, file: match[1]!, args: match[2]!.trim().split(" ").filter(Boolean) });
  }
  for (const app of ["server", "worker"]) {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, `apps/${app}/package.json`), "utf8")) as {
      scripts: Record<string, string>;
    };
    // Production runs the built file with node; `dev` runs the same entry from sources.
    expect(pkg.scripts.dev).toBe("tsx src/main.ts");
    found.push({ name: `node apps/${app}/dist/main.js`, file: `apps/${app}/src/main.ts`, args: [] });
  }
  found.push({ name: "tsx apps/server/scripts/smoke.ts", file: "apps/server/scripts/smoke.ts", args: [] });
  return found;
}

const all = commands();

describe("every command's --help and unknown flags", () => {
  let empty: TestDatabase;
  const docs = ["docs/procedures.md", "docs/performance.md"].map((f) => path.join(repoRoot, f));
  const docsBefore = docs.map((f) => readFileSync(f, "utf8"));

  function run(command: Command, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: empty.url, NO_COLOR: "1" };
      delete env.REDIS_URL;
      execFile(
        tsx,
        ["--conditions=source", path.join(repoRoot, command.file), ...command.args, ...extra],
        { cwd: repoRoot, env, timeout: 120_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  beforeAll(async () => {
    empty = await createTestDatabase({ empty: true });
  });
  afterAll(async () => {
    await empty?.drop();
  });

  it("finds the commands it must cover", () => {
    const names = all.map((c) => c.name);
    for (const expected of [
      "pnpm start",
      "pnpm migrate",
      "pnpm admin",
      "pnpm check:performance",
      "pnpm check:plans",
      "pnpm bench",
      "pnpm bench:check",
      "pnpm bench:report",
      "pnpm bench:tournaments",
      "pnpm loadtest",
      "pnpm jobs",
      "pnpm docs:procedures",
      "pnpm bench:rankings",
      "pnpm bench:wallets",
      "pnpm import:legacy",
      "pnpm bench:import",
    ])
      expect(names).toContain(expected);
  });

  // One command at a time, its two runs side by side: each run is a whole node process that spends
  // seconds loading modules, and the suite shares two cores with another test file.
  it.each(all.map((c) => [c.name, c] as const))(
    "%s --help prints its usage and exits 0; an unknown flag exits 2",
    async (name, command) => {
      const [help, bad] = await Promise.all([run(command, "--help"), run(command, "--no-such-flag")]);
      expect(help, help.stderr).toMatchObject({ code: 0 });
      expect(help.stdout.startsWith(`${name} — `), help.stdout).toBe(true);
      expect(help.stdout).toContain("Usage:");
      expect(help.stdout).toMatch(/-h, --help\s+print this help/);

      expect(bad.code, bad.stdout + bad.stderr).toBe(2);
      expect(bad.stderr).toContain("--no-such-flag");
      expect(bad.stderr).toContain(`Run '${name} --help' for usage.`);
      expect(bad.stdout).toBe("");
    },
    180_000,
  );

  it("left the database empty and the generated docs untouched", async () => {
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_tables where schemaname in ('public', 'graphile_worker')",
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await client.end();
    }
    expect(docs.map((f) => readFileSync(f, "utf8"))).toEqual(docsBefore);
  });
});
