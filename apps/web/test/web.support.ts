/**
 * The real thing for browser tests: the web app built by Vite into a temporary folder, served by
 * `pnpm start`'s entry point (apps/server/src/start.ts) on this file's own database and Redis, and
 * the machine's Chromium. Nothing is mocked.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@deltacrown/client";
import { launchBrowser } from "@deltacrown/test-harness/browser";
import { useTestServices, waitFor, type TestServices } from "@deltacrown/test-harness";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(webDir, "../..");
/** Screenshots land here (ignored by git); CI keeps the folder as the run's output. */
export const screenshotDir = path.join(webDir, "test-output", "screenshots");
export const PASSWORD = "correct-horse-battery";

export interface WebStack {
  url: string;
  services: TestServices;
  browser: Browser;
  /** A fresh browser context (its own cookies, cache and in-memory session), closed after the file. */
  context(options?: { phone?: boolean }): Promise<BrowserContext>;
  /** A typed client on the same server, for set-up the journey does not click through. */
  api(token?: string): ReturnType<typeof createClient>;
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs the worker's leaderboard job now (its cron runs every 5 min) and waits for its rows. */
  computeLeaderboards(): Promise<void>;
}

/**
 * Builds the app, starts the server and the browser once per test file. `env` adds server
 * variables (tournament journeys raise the per-address sign-up and call limits: dozens of
 * players set up from one address in a minute).
 */
export function useWebStack(options: { env?: Record<string, string> } = {}): WebStack {
  const services = useTestServices();
  const stack = { services } as WebStack;
  let server: ChildProcess | undefined;
  let outDir: string | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "dc-web-"));
    execFileSync(
      path.join(webDir, "node_modules/.bin/vite"),
      ["build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"],
      {
        cwd: webDir,
        stdio: ["ignore", "ignore", "pipe"],
        // Production React, as users get it: vitest's NODE_ENV=test made Vite bundle React's
        // development build, whose per-element debug stacks made a 255-match bracket render
        // take ~0.6 s of script (apps/server/src/web-build.ts forces the same for `pnpm start`).
        env: { ...process.env, NODE_ENV: "production" },
      },
    );
    const child = spawn(
      path.join(repoRoot, "node_modules/.bin/tsx"),
      [path.join(repoRoot, "apps/server/src/start.ts")],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: services.url,
          REDIS_URL: services.redisUrl,
          PORT: "0",
          WEB_ROOT: outDir,
          SCRYPT_COST: "1024",
          LOG_LEVEL: "warn",
          NO_COLOR: "1",
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    server = child;
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    stack.url = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`pnpm start exited ${child.exitCode}:\n${out}`);
        return /Web app: (http:\/\/\S+?)\/\s/.exec(out)?.[1];
      },
      { timeoutMs: 90_000, intervalMs: 50 },
    );
    stack.browser = await launchBrowser();
    mkdirSync(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await stack.browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  stack.context = async ({ phone = false } = {}) => {
    const context = await stack.browser.newContext({
      baseURL: stack.url,
      viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      ...(phone ? { isMobile: true, hasTouch: true } : {}),
    });
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    return context;
  };
  stack.api = (token) => createClient({ url: stack.url, token: token ?? null });
  stack.sql = async (text, values) => (await services.pool.query(text, values)).rows as Record<string, unknown>[];
  stack.computeLeaderboards = async () => {
    await stack.sql(`select graphile_worker.add_job('rankings/leaderboards', '{}')`);
    await waitFor(async () => Number((await stack.sql(`select count(*) as n from leaderboard_entries`))[0]!.n) > 0, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  };
  return stack;
}

let seq = 0;
/** A username unique in this run. */
export const uniqueName = (prefix: string) => `${prefix}${process.pid % 1000}${Date.now() % 100_000}${++seq}`;

export async function signUp(page: Page, username: string): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("E-mail").fill(`${username}@example.test`);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect.poll(() => page.getByTestId("signed-in-user").textContent()).toContain(`@${username}`);
}

export async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Username or e-mail").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** No serious or critical accessibility violation on the page as it is now; a screenshot of it. */
export async function auditPage(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad, `axe on ${name}`).toEqual([]);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
