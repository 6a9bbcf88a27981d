/**
 * The README's client example runs as written: its code block is examples/src/readme.ts, and
 * `pnpm --filter @deltacrown/examples start` runs that file against the real server (seeded with
 * the demo data `pnpm start` seeds) — twice, since a second run must not hit a CONFLICT.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { seedDemo } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();
const run = promisify(execFile);
const repo = fileURLToPath(new URL("../../../", import.meta.url));

describe("the README's client example", () => {
  const services = useTestServices();
  let platform: Platform;

  beforeAll(async () => {
    await seedDemo(services.db, 2 ** 10);
    platform = await startTestPlatform(services);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it("is examples/src/readme.ts, word for word", async () => {
    const readme = await readFile(`${repo}README.md`, "utf8");
    const block = /## Using the client\n\n```ts\n([\s\S]*?)```\n/.exec(readme)?.[1];
    expect(block).toBe(await readFile(`${repo}examples/src/readme.ts`, "utf8"));
  });

  it("runs with pnpm against the server, and again without a CONFLICT", async () => {
    for (let i = 0; i < 2; i++) {
      const { stdout } = await run("pnpm", ["--silent", "--filter", "@deltacrown/examples", "start"], {
        cwd: repo,
        env: { ...process.env, DC_URL: platform.url },
      });
      expect(stdout).toMatch(/^created crown-academy-[a-z0-9-]+; \d+ teams named cro…$/m);
      expect(stdout).toContain("NOT_FOUND NOT_FOUND { slug: [ 'Team not found' ] }");
    }
  }, 120_000);
});
