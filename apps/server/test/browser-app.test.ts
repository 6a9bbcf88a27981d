/**
 * A browser app on another origin, in the machine's Chromium: it signs in with the cookie option,
 * reads a team, follows the team's live updates over SSE and WebSocket and receives an event —
 * with the session only in the HttpOnly cookie. A page on an origin that is not allowed can
 * neither read answers (CORS) nor change anything with the visitor's cookie (CSRF).
 */
import { createServer, type Server } from "node:http";
import { createClient } from "@deltacrown/client";
import { demoGames, LiveBus, liveChannels } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { chromiumPath, launchBrowser } from "@deltacrown/test-harness/browser";
import { build } from "esbuild";
import { Redis } from "ioredis";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

/** Serves one page and the bundled app script on a random loopback port. */
async function serveApp(script: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === "/app.js") {
      res.setHeader("content-type", "text/javascript");
      res.end(script);
      return;
    }
    res.setHeader("content-type", "text/html");
    res.end('<!doctype html><title>DeltaCrown app</title><script src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, server };
}

describe.runIf(chromiumPath() !== undefined)("a browser app on another origin", () => {
  const services = useTestServices();
  let platform: Platform;
  let browser: Browser;
  let app: { origin: string; server: Server };
  let stranger: { origin: string; server: Server };
  let publisherRedis: Redis;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const bundle = await build({
      entryPoints: [new URL("./browser-app/app.ts", import.meta.url).pathname],
      bundle: true,
      format: "esm",
      platform: "browser",
      // The workspace's client from its sources (a fresh clone has no dist/ yet).
      conditions: ["source"],
      write: false,
      logLevel: "silent",
    });
    const script = bundle.outputFiles[0]!.text;
    // Same site (127.0.0.1), different origins (ports): the app is allowed, the stranger is not.
    app = await serveApp(script);
    stranger = await serveApp(script);
    platform = await startTestPlatform(services, { browser: { corsOrigins: [app.origin], secureCookies: true } });
    publisherRedis = new Redis(services.redisUrl);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await publisherRedis?.quit();
    for (const s of [app, stranger]) s?.server.close();
  });

  async function open(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "createClient" in globalThis);
    return page;
  }

  it("signs in with the cookie, reads a team, receives its live update over SSE and WebSocket; a stranger origin is refused", async () => {
    // The team and its captain, made through the typed client with a bearer token.
    const setup = createClient({ url: platform.url });
    const { token } = await setup.identity.signUp.mutate({
      username: "browser_cap",
      email: "browser_cap@dc.gg",
      password: "long-enough-pw",
    });
    const team = await createClient({ url: platform.url, token }).teams.create.mutate({
      name: "Browser Five",
      gameSlug: "valorant",
    });

    const page = await open(app.origin);
    const signedIn = await page.evaluate(
      async ({ url, slug }) => {
        type Dc = ReturnType<typeof createClient>;
        const make = (globalThis as unknown as { createClient: (o: object) => Dc }).createClient;
        const dc = make({ url, cookies: true });
        const session = await dc.identity.signIn.mutate({ login: "browser_cap", password: "long-enough-pw" });
        const me = await dc.identity.me.query();
        const read = await dc.teams.bySlug.query({ slug });
        const live = { sse: [] as string[], ws: [] as string[], started: 0, errors: [] as string[] };
        Object.assign(globalThis, { live });
        for (const transport of ["sse", "ws"] as const) {
          const sub = make({ url, cookies: true, subscriptions: { transport } });
          sub.live.team.subscribe(
            { teamSlug: slug },
            {
              onStarted: () => live.started++,
              onData: (d) => live[transport].push(d.data.type),
              onError: (e) => live.errors.push(`${transport}: ${String(e)}`),
            },
          );
        }
        return {
          user: session.user.username,
          me: me.username,
          team: read.name,
          // HttpOnly: the page's script cannot see the session cookie.
          cookieVisible: (globalThis as unknown as { document: { cookie: string } }).document.cookie.includes(
            "dc_session",
          ),
        };
      },
      { url: platform.url, slug: team.slug },
    );
    expect(signedIn).toEqual({ user: "browser_cap", me: "browser_cap", team: "Browser Five", cookieVisible: false });
    const cookies = await page.context().cookies(platform.url);
    expect(cookies.find((c) => c.name === "dc_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Lax",
      secure: true,
    });

    const liveState = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { live: { sse: string[]; ws: string[]; started: number; errors: string[] } }).live,
      );
    await waitFor(async () => ((await liveState()).started === 2 ? true : undefined));
    const publisher = new LiveBus({ redis: publisherRedis });
    await publisher.publish(liveChannels.team(team.id), { type: "roster.changed", data: { teamId: team.id } });
    await waitFor(async () => {
      const s = await liveState();
      return s.sse.length >= 1 && s.ws.length >= 1 ? s : undefined;
    });
    expect(await liveState()).toEqual({ sse: ["roster.changed"], ws: ["roster.changed"], started: 2, errors: [] });

    // The same browser (it holds the cookie) on an origin that is not allowed.
    const other = await open(stranger.origin);
    const refused = await other.evaluate(
      async ({ url, slug }) => {
        type Dc = ReturnType<typeof createClient>;
        const make = (globalThis as unknown as { createClient: (o: object) => Dc }).createClient;
        const dc = make({ url, cookies: true });
        const read = await dc.teams.bySlug.query({ slug }).then(
          () => "read",
          (e: unknown) => `refused: ${String(e)}`,
        );
        const write = await dc.teams.create.mutate({ name: "Stranger Five", gameSlug: "valorant" }).then(
          () => "written",
          (e: unknown) => `refused: ${String(e)}`,
        );
        // Without CORS a script may still send a "simple" request blind (its answer opaque, or
        // blocked by Chromium's ORB); the server refuses it too (checked in the database below).
        const blind = await fetch(`${url}/trpc/teams.create`, {
          method: "POST",
          mode: "no-cors",
          credentials: "include",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ name: "Blind Five", gameSlug: "valorant" }),
        }).then(
          (r) => r.type,
          () => "blocked",
        );
        return { read, write, blind };
      },
      { url: platform.url, slug: team.slug },
    );
    expect(refused.read).toMatch(/^refused: .*fetch/i);
    expect(refused.write).toMatch(/^refused: .*fetch/i);
    expect(["opaque", "blocked"]).toContain(refused.blind);
    const made = await services.db
      .selectFrom("teams")
      .select("name")
      .where("name", "in", ["Stranger Five", "Blind Five"])
      .execute();
    expect(made).toEqual([]);
  });
});
