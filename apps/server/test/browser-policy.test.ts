/**
 * What a browser app on another origin needs, against the real server: CORS for allow-listed
 * origins only, security headers, the HttpOnly session cookie (set in cookie mode, cleared on
 * sign-out) authenticating queries, mutations and subscriptions over SSE and WebSocket, and the
 * CSRF rule: a cookie-authenticated mutation only from a trusted Origin, bearer tokens unaffected.
 * Requests are sent as a browser would (Origin and Cookie headers), without a browser; the
 * Playwright test drives the real one.
 */
import { createClient, isApiError, type SubscriptionOptions } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Platform } from "../src/platform.ts";
import { errorOf, mutate } from "./http.support.ts";
import { collect } from "./live.support.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

const APP = "http://app.localhost:5173";
const EVIL = "http://evil.localhost:6666";

describe("browser policy: CORS, security headers, cookie sessions and CSRF", () => {
  const services = useTestServices();
  let platform: Platform;
  let self: string;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    platform = await startTestPlatform(services, { browser: { corsOrigins: [APP], secureCookies: true } });
    self = platform.url; // the server's own origin: http://127.0.0.1:<port>
  });
  afterAll(() => platform.close());

  /** Signs up in cookie mode from `origin`; the session cookie as a browser would send it back. */
  async function cookieSignUp(name: string, origin = APP) {
    const answer = await mutate(
      platform.url,
      "identity.signUp",
      { username: name, email: `${name}@dc.gg`, password: "long-enough-pw" },
      { origin, "x-deltacrown-session": "cookie" },
    );
    const setCookie = answer.headers.getSetCookie();
    const cookie = setCookie[0]?.split(";")[0];
    return { answer, setCookie, cookie };
  }

  it("answers an allow-listed origin's preflight with credentialed CORS headers, and no other origin's", async () => {
    const preflight = (origin: string) =>
      fetch(`${platform.url}/trpc/teams.create`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,x-deltacrown-session",
        },
      });
    const allowed = await preflight(APP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(APP);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("x-deltacrown-session");
    const refused = await preflight(EVIL);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();

    const read = await fetch(`${platform.url}/trpc/games.list`, { headers: { origin: APP } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBe(APP);
    expect(read.headers.get("access-control-expose-headers")).toContain("x-request-id");
    const other = await fetch(`${platform.url}/trpc/games.list`, { headers: { origin: EVIL } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // helmet's headers, on tRPC answers and the plain routes alike
    for (const res of [read, await fetch(`${platform.url}/health`)]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    }
  });

  it("sets an HttpOnly, Secure, SameSite=Lax session cookie in cookie mode that authenticates; sign-out clears it", async () => {
    const { answer, setCookie, cookie } = await cookieSignUp("cookie_user");
    expect(answer.status).toBe(200);
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^dc_session=[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/);
    // Without cookie mode, no cookie: bearer clients get none.
    const plain = await mutate(platform.url, "identity.signIn", { login: "cookie_user", password: "long-enough-pw" });
    expect(plain.status).toBe(200);
    expect(plain.headers.getSetCookie()).toEqual([]);

    const me = await fetch(`${platform.url}/trpc/identity.me`, { headers: { cookie: cookie!, origin: APP } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ result: { data: { username: "cookie_user" } } });
    const created = await mutate(
      platform.url,
      "teams.create",
      { name: "Cookie Five", gameSlug: "valorant" },
      { cookie: cookie!, origin: APP },
    );
    expect(created.status).toBe(200);
    // The server's own origin is trusted without being listed.
    const own = await mutate(
      platform.url,
      "teams.create",
      { name: "Cookie Six", gameSlug: "valorant" },
      {
        cookie: cookie!,
        origin: self,
      },
    );
    expect(own.status).toBe(200);

    const out = await mutate(platform.url, "identity.signOut", undefined, { cookie: cookie!, origin: APP });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/^dc_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/);
    const after = await fetch(`${platform.url}/trpc/identity.me`, { headers: { cookie: cookie!, origin: APP } });
    expect(after.status).toBe(401);
  });

  it("refuses a cookie-authenticated mutation from another origin or none (403 UNTRUSTED_ORIGIN); bearer tokens are unaffected", async () => {
    const { cookie, answer } = await cookieSignUp("csrf_user");
    const token = (answer.body as { result: { data: { token: string } } }).result.data.token;
    const input = { name: "Forged Five", gameSlug: "valorant" };
    const forgeries: Record<string, string>[] = [{ cookie: cookie!, origin: EVIL }, { cookie: cookie! }];
    for (const headers of forgeries) {
      const forged = await mutate(platform.url, "teams.create", input, headers);
      expect(forged.status).toBe(403);
      expect(errorOf(forged).data).toMatchObject({ code: "FORBIDDEN", reason: "UNTRUSTED_ORIGIN" });
    }
    // Nothing was created.
    const teams = await services.db.selectFrom("teams").select("name").where("name", "=", "Forged Five").execute();
    expect(teams).toEqual([]);
    // Signing in to cookie mode from another origin (login CSRF) is refused too.
    const login = await mutate(
      platform.url,
      "identity.signIn",
      { login: "csrf_user", password: "long-enough-pw" },
      { origin: EVIL, "x-deltacrown-session": "cookie" },
    );
    expect(login.status).toBe(403);
    expect(login.headers.getSetCookie()).toEqual([]);
    // A bearer token is sent by the caller's own code: any origin (or none) may use it.
    const bearer = await mutate(platform.url, "teams.create", input, {
      authorization: `Bearer ${token}`,
      origin: EVIL,
    });
    expect(bearer.status).toBe(200);
  });

  it("authenticates subscriptions with the cookie over SSE and WebSocket, and with connectionParams over SSE", async () => {
    const { cookie, answer } = await cookieSignUp("live_cookie");
    const token = (answer.body as { result: { data: { token: string } } }).result.data.token;
    // A browser's transports send the cookie (and its Origin) themselves; these classes do the same.
    const browserHeaders = (origin: string) => ({ cookie: cookie!, origin });
    const sse = (origin: string): SubscriptionOptions => ({
      transport: "sse",
      EventSource: class extends EventSource {
        constructor(url: string | URL, init?: { fetch?: typeof fetch }) {
          super(url, {
            ...init,
            fetch: (input, req) => fetch(input, { ...req, headers: { ...req?.headers, ...browserHeaders(origin) } }),
          });
        }
      },
    });
    const ws = (origin: string): SubscriptionOptions => ({
      transport: "ws",
      WebSocket: class extends WebSocket {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols, { headers: browserHeaders(origin) });
        }
      },
    });
    const listen = (subscriptions: SubscriptionOptions) =>
      collect((h) => createClient({ url: platform.url, subscriptions }).live.notifications.subscribe({}, h));

    const viaSse = listen(sse(APP));
    const viaWs = listen(ws(APP));
    // Another origin's page opening a WebSocket gets no session from the visitor's cookie.
    const forgedWs = listen(ws(EVIL));
    try {
      await waitFor(() => (viaSse.started && viaWs.started ? true : undefined));
      await waitFor(() => forgedWs.error ?? undefined);
      expect(forgedWs.error?.data?.code).toBe("UNAUTHORIZED");
      expect(viaSse.error).toBeUndefined();
      expect(viaWs.error).toBeUndefined();
    } finally {
      for (const c of [viaSse, viaWs, forgedWs]) c.stop();
    }

    // tRPC's connectionParams travel in the SSE URL: the route hands tRPC's `info` to the context.
    const params = encodeURIComponent(JSON.stringify({ token }));
    const input = encodeURIComponent(JSON.stringify({}));
    const stream = async (query: string) => {
      const controller = new AbortController();
      const res = await fetch(`${platform.url}/trpc/live.notifications?input=${input}${query}`, {
        headers: { accept: "text/event-stream" },
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      let text = "";
      // The first frames say whether the stream opened or was refused.
      while (!/event: (connected|serialized-error)/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value as Uint8Array);
      }
      controller.abort();
      await reader.cancel().catch(() => undefined);
      return text;
    };
    expect(await stream(`&connectionParams=${params}`)).toMatch(/event: connected/);
    expect(await stream("")).toMatch(/event: serialized-error[\s\S]*UNAUTHORIZED/);
  });

  it("the typed client in cookie mode sends credentials on every request and asks for the cookie on sign-in", async () => {
    const seen: { path: string; credentials: RequestInit["credentials"]; mode: string | null }[] = [];
    const jar: { cookie?: string } = {};
    // Node's fetch keeps no cookies: this one does, as a browser would, and records what it was asked.
    const browserFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({
        path: new URL(String(input instanceof Request ? input.url : input)).pathname,
        credentials: init?.credentials,
        mode: headers.get("x-deltacrown-session"),
      });
      headers.set("origin", APP);
      if (jar.cookie) headers.set("cookie", jar.cookie);
      const res = await fetch(input, { ...init, headers });
      const set = res.headers.getSetCookie()[0];
      if (set) jar.cookie = set.split(";")[0];
      return res;
    };
    const dc = createClient({ url: platform.url, cookies: true, fetch: browserFetch });
    await dc.identity.signUp.mutate({
      username: "typed_cookie",
      email: "typed_cookie@dc.gg",
      password: "long-enough-pw",
    });
    expect(jar.cookie).toMatch(/^dc_session=/);
    expect(await dc.identity.me.query()).toMatchObject({ username: "typed_cookie" });
    await dc.identity.signOut.mutate();
    expect(jar.cookie).toBe("dc_session=");
    const error = await dc.identity.me.query().catch((e: unknown) => e);
    expect(isApiError(error) && error.data?.code).toBe("UNAUTHORIZED");
    expect(seen.map((s) => s.credentials)).toEqual(["include", "include", "include", "include"]);
    expect(seen.map((s) => [s.path, s.mode])).toEqual([
      ["/trpc/identity.signUp", "cookie"],
      ["/trpc/identity.me", null],
      ["/trpc/identity.signOut", "cookie"],
      ["/trpc/identity.me", null],
    ]);
  });
});
