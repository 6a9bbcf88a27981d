import { execFileSync } from "node:child_process";
import path from "node:path";
import { hasWebApp } from "./web-app.ts";

/**
 * The web app `pnpm start` serves: `root` when it holds a build; otherwise, for the default
 * location, built once now (a newcomer's first start), with the pnpm that runs us. A failed build
 * leaves the API running alone, with the reason printed.
 */
export function ensureWebApp(webRoot: string, repoRoot: string, say: (line: string) => void): string | undefined {
  if (hasWebApp(webRoot)) return webRoot;
  if (path.resolve(webRoot) !== path.join(repoRoot, "apps/web/dist")) {
    say(`no web app in ${webRoot} (build it with: pnpm --filter @deltacrown/web build); serving the API only`);
    return undefined;
  }
  say("building the web app (first start) …");
  // npm_execpath is pnpm's own script when `pnpm start` runs us; plain `pnpm` otherwise.
  const pnpm = process.env.npm_execpath;
  const [command, args] = pnpm?.includes("pnpm")
    ? [process.execPath, [pnpm, "--filter", "@deltacrown/web", "build"]]
    : ["pnpm", ["--filter", "@deltacrown/web", "build"]];
  try {
    // Always a production build (minified React): a caller's NODE_ENV (vitest sets "test") would
    // otherwise make a development bundle half again as large.
    execFileSync(command, args, {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 300_000,
    });
  } catch (error) {
    const out = (error as { stderr?: Buffer }).stderr?.toString().trim().split("\n").slice(-5).join("\n");
    say(`the web app did not build; serving the API only\n${out ?? String(error)}`);
    return undefined;
  }
  return hasWebApp(webRoot) ? webRoot : undefined;
}
