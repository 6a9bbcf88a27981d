/**
 * Every page in Chromium: no serious or critical axe violation, a screenshot each (test-output/),
 * no sideways scrolling at phone width, and the team page's figures — time from navigation to
 * the roster on screen (median of 20 loads, HTTP cache on) and the API requests it makes.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { auditPage, signIn, useWebStack } from "./web.support.ts";

const DEMO_PASSWORD = "deltacrown-demo";

/** Waits for the page's own content (its h1), then audits and photographs it. */
async function visit(page: Page, name: string, heading: string | RegExp): Promise<void> {
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  await page
    .getByRole("status")
    .filter({ hasText: /^Loading/ })
    .first()
    .waitFor({ state: "detached" });
  await auditPage(page, name);
}

describe("every page", () => {
  const stack = useWebStack();

  it("has no serious accessibility violation, signed out and signed in", async () => {
    const page = await (await stack.context()).newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await stack.computeLeaderboards();

    await page.goto("/");
    await visit(page, "home", "Esports teams, ranked");
    await page.goto("/teams");
    await visit(page, "team-search", "Teams");
    await page.goto("/teams/crimson-crown");
    await page.getByTestId("roster").waitFor();
    await visit(page, "team", "Crimson Crown");
    await page.goto("/orgs/crown-esports");
    await visit(page, "organization", "Crown Esports");
    await page.goto("/leaderboards/valorant");
    await visit(page, "leaderboard", /leaderboard/);
    await page.goto("/no/such/page");
    await visit(page, "not-found", "Page not found");
    await page.goto("/sign-up");
    await visit(page, "sign-up", "Create an account");
    await page.goto("/sign-in");
    await visit(page, "sign-in", "Sign in");

    // Signed in as a demo player (owner of Crimson Crown, member of Crown Esports).
    await page.goto("/");
    await signIn(page, "alice", DEMO_PASSWORD);
    await page.getByTestId("signed-in-user").waitFor();
    await page.getByRole("link", { name: "My teams" }).click();
    await visit(page, "my-teams", "My teams");
    await page.getByRole("link", { name: /Crimson Crown/ }).click();
    await page.getByRole("heading", { name: "Manage" }).waitFor();
    await visit(page, "team-owner", "Crimson Crown");
    await page.getByRole("link", { name: "Crown Esports" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await visit(page, "organization-dashboard", "Crown Esports");
    await page.getByRole("link", { name: "Invites" }).click();
    await visit(page, "my-invites", "My invites");
    await page.getByRole("link", { name: "Wallet" }).click();
    await visit(page, "wallet", "Wallet");
    await page.getByRole("link", { name: /Notifications/ }).click();
    await visit(page, "notifications", "Notifications");
    await page.getByRole("link", { name: "Feed" }).click();
    await visit(page, "feed", "Your feed");
    for (const [path, name, heading] of [
      ["settings", "team-settings", /Team settings/],
      ["sponsors", "team-sponsors", /Sponsors/],
      ["analytics", "team-analytics", /Analytics/],
    ] as const) {
      await page.goto(`/teams/crimson-crown/${path}`);
      await visit(page, name, heading);
    }
    await page.getByRole("link", { name: "Teams", exact: true }).click();
    await page.getByRole("link", { name: "Create a team" }).click();
    await visit(page, "team-create", "Create a team");
    expect(errors).toEqual([]);
  }, 120_000);

  it("fits a phone's width without sideways scrolling", async () => {
    const page = await (await stack.context({ phone: true })).newPage();
    for (const [path, heading] of [
      ["/", "Esports teams, ranked"],
      ["/teams/crimson-crown", "Crimson Crown"],
      ["/leaderboards/valorant", /leaderboard/],
      ["/teams", "Teams"],
    ] as const) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
    await page.goto("/teams/crimson-crown");
    await page.getByTestId("roster").waitFor();
    await auditPage(page, "team-phone");
  });

  it("pages team search with a cursor: load more appends the next page, then stops", async () => {
    const { token } = await stack.api().identity.signIn.mutate({ login: "bruno", password: DEMO_PASSWORD });
    const asBruno = stack.api(token);
    // Two batches: the server refuses more than 20 calls in one request, and the client does not split.
    for (const from of [0, 12])
      await Promise.all(
        Array.from({ length: from === 0 ? 12 : 11 }, (_, i) =>
          asBruno.teams.create.mutate({ name: `Paging ${from + i}`, gameSlug: "dota2" }),
        ),
      );
    const page = await (await stack.context()).newPage();
    await page.goto("/teams");
    await page.getByLabel("Name starts with").fill("Paging");
    await page.getByRole("button", { name: "Search" }).click();
    const cards = page.locator(".card-title").filter({ hasText: /^Paging/ });
    await expect.poll(() => cards.count()).toBe(20);
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(() => cards.count()).toBe(23);
    await page.getByRole("button", { name: "Load more" }).waitFor({ state: "detached" });
  });

  /** 20 loads of the team page after a warm-up (HTTP cache on): time to roster, API requests each. */
  async function measureTeamPage(page: Page, signedIn: boolean) {
    const api: string[] = [];
    page.on("request", (r) => {
      // Subscriptions (live.*, a long-lived SSE stream) are not reads: counted apart.
      const path = new URL(r.url()).pathname;
      if (path.startsWith("/trpc") && !path.startsWith("/trpc/live.")) api.push(decodeURIComponent(r.url()));
    });
    const times: number[] = [];
    const perLoad: string[][] = [];
    for (let i = 0; i <= 20; i++) {
      api.length = 0;
      await page.goto("/teams/crimson-crown");
      // Time since navigation start at the first frame that shows a roster row.
      const handle = await page.waitForFunction(
        () => (document.querySelector("[data-testid=roster] tbody tr") ? performance.now() : false),
        undefined,
        { polling: "raf" },
      );
      const ms = (await handle.jsonValue()) as number;
      // Requests the page makes once the header has its answer too (the badge, or "Sign in").
      await page
        .getByRole("banner")
        .getByRole("link", { name: signedIn ? /Notifications/ : "Sign in" })
        .waitFor();
      if (i > 0) {
        times.push(ms);
        perLoad.push([...api]);
      }
    }
    times.sort((a, b) => a - b);
    return { median: (times[9]! + times[10]!) / 2, min: times[0]!, max: times.at(-1)!, perLoad };
  }

  it("shows the team page's roster after one batched API request (figures printed)", async () => {
    const anonymous = await measureTeamPage(await (await stack.context()).newPage(), false);
    const page = await (await stack.context()).newPage();
    await page.goto("/sign-in");
    await signIn(page, "alice", DEMO_PASSWORD);
    await page.getByTestId("signed-in-user").waitFor();
    const member = await measureTeamPage(page, true);
    for (const [who, m] of [
      ["signed out", anonymous],
      ["signed in (owner)", member],
    ] as const) {
      const counts = [...new Set(m.perLoad.map((r) => r.length))].join("/");
      process.stdout.write(
        `[web figures] team page ${who}: navigation → roster visible median ${m.median.toFixed(0)} ms ` +
          `(min ${m.min.toFixed(0)}, max ${m.max.toFixed(0)}) over 20 loads; API requests per load: ${counts}; ` +
          `calls: ${m.perLoad[0]!.map((u) => /\/trpc\/([^?]+)/.exec(u)?.[1]).join(" | ")}\n`,
      );
      expect(m.perLoad.every((r) => r.length === 1)).toBe(true);
      expect(m.perLoad[0]![0]).toContain("teams.bySlug");
    }
    expect(member.perLoad[0]![0]).toContain("teams.viewer");
  }, 120_000);
});
