/**
 * `pnpm start` serves the built web app from the API's origin: hashed assets cached for a year,
 * index.html revalidated with a strict CSP, the app's own routes answered by index.html, and
 * nothing but the build's own files ever read from disk. A stand-in build keeps this test fast;
 * apps/web/test/ drives the real one in Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

describe("the web app served by the API process", () => {
  installOpenHandleCheck();
  const services = useTestServices();
  let platform: Platform;
  let root: string;
  const script = `console.log(${JSON.stringify("x".repeat(4000))});`;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "dc-web-root-"));
    mkdirSync(path.join(root, "assets"));
    writeFileSync(
      path.join(root, "index.html"),
      '<!doctype html><script type="module" src="/assets/app-abc123.js"></script>',
    );
    writeFileSync(path.join(root, "assets", "app-abc123.js"), script);
    writeFileSync(path.join(root, "favicon.svg"), "<svg/>");
    platform = await startTestPlatform(services, { webRoot: root });
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}${p}`, { headers: { connection: "close", ...headers } });

  it("sends hashed assets as immutable for a year, gzipped when asked", async () => {
    const res = await get("/assets/app-abc123.js", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.text()).toBe(script); // fetch decompresses
  });

  it("answers the app's own routes with index.html, revalidated, under a strict CSP", async () => {
    for (const route of ["/", "/teams/crimson-crown", "/no/such/page?x=1"]) {
      const res = await get(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await res.text()).toContain("/assets/app-abc123.js");
    }
  });

  it("reads nothing outside the build, and a missing asset is a 404", async () => {
    expect((await get("/assets/app-old999.js")).status).toBe(404);
    expect((await get("/package.json")).status).toBe(404);
    expect((await get("/assets/../../package.json")).status).not.toBe(500);
    expect((await get("/%2e%2e/%2e%2e/package.json")).status).toBe(404);
    expect((await get("/favicon.svg")).headers.get("content-type")).toBe("image/svg+xml");
  });

  it("leaves the API where it was", async () => {
    expect(await (await get("/health")).json()).toEqual({ status: "ok" });
    const res = await get(`/trpc/games.list`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});
