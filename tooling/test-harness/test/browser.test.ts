import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { chromiumPath, launchBrowser } from "@deltacrown/test-harness/browser";

describe.runIf(chromiumPath() !== undefined)("launchBrowser (the machine's Chromium)", () => {
  it("renders a page served on loopback and runs its script", async () => {
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>t</title><button onclick=\"this.textContent='clicked'\">go</button>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.click("button");
      expect(await page.textContent("button")).toBe("clicked");
    } finally {
      await browser.close();
      server.close();
    }
  });
});
