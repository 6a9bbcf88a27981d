/**
 * A team's social side in a real Chromium against the real server (uploads on a temporary disk):
 * the owner uploads a logo (a refused file is said at the field), writes a post with an image and
 * pins it; a second player follows and reads the post in their home feed; actions the server
 * (teams.viewer) says a player may not take are not offered, and the API refuses them; a members-only roster disappears for an anonymous visitor; a sponsor is
 * proposed (an http link refused at its field) and approved, and shows on the team page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { waitFor } from "@deltacrown/test-harness";
import { afterAll, describe, expect, it } from "vitest";
import { PASSWORD, signUp, uniqueName, useWebStack } from "./web.support.ts";

/** A real PNG: `size`×`size` pixels of one colour (signature, IHDR, IDAT, IEND). */
function png(size: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Whether an image element has loaded real pixels (the server served the stored file). */
const loaded = (selector: ReturnType<Page["getByRole"]>) =>
  expect
    .poll(() => selector.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(0);

const storageDir = mkdtempSync(path.join(tmpdir(), "dc-web-uploads-"));
afterAll(() => rmSync(storageDir, { recursive: true, force: true }));

describe("a team's social side in the browser", () => {
  const stack = useWebStack({ env: { STORAGE_DIR: storageDir, RATE_LIMIT_GENERAL: "100000/60" } });

  it("uploads, posts, pins, follows, refuses, hides the roster and shows an approved sponsor", async () => {
    const ada = uniqueName("ada");
    const ben = uniqueName("ben");
    const pageA = await (await stack.context()).newPage();
    const pageB = await (await stack.context({ phone: true })).newPage();
    const errors: string[] = [];
    for (const p of [pageA, pageB]) p.on("pageerror", (e) => errors.push(e.message));
    await signUp(pageA, ada);
    await signUp(pageB, ben);

    // Ada creates a team.
    const teamName = `Social ${ada}`;
    await pageA.goto("/teams/new");
    await pageA.getByLabel("Team name").fill(teamName);
    await pageA.getByLabel("Game").selectOption("valorant");
    await pageA.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => pageA.getByRole("heading", { level: 1 }).textContent()).toContain(teamName);
    const slug = new URL(pageA.url()).pathname.split("/")[2]!;
    await pageA.getByTestId("follower-count").getByText("0 followers").waitFor();
    await pageA.getByText("No posts yet.").waitFor();

    // Logo: a script named .png is refused at the field; a real PNG is set and served.
    await pageA.getByRole("link", { name: "Settings and images" }).click();
    const logoInput = pageA.getByLabel("Upload a logo");
    await logoInput.setInputFiles({
      name: "logo.png",
      mimeType: "image/png",
      buffer: Buffer.from("<script>alert(1)</script>"),
    });
    await pageA.getByRole("alert").filter({ hasText: "Only PNG, JPEG, GIF and WebP images are accepted" }).waitFor();
    await expect.poll(() => logoInput.getAttribute("aria-invalid")).toBe("true");
    await logoInput.setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png(32, [200, 30, 30]) });
    await pageA.getByText("Images saved.").waitFor();
    await loaded(pageA.getByRole("img", { name: "Current logo" }));
    await pageA.getByRole("link", { name: `← ${teamName}` }).click();
    await loaded(pageA.getByRole("img", { name: `${teamName} logo` }));

    // A post with an image, then pinned.
    const body = `First post from ${ada}`;
    await pageA.getByLabel("Post", { exact: true }).fill(body);
    await pageA.getByLabel(/^Add an image/).setInputFiles({
      name: "photo.png",
      mimeType: "image/png",
      buffer: png(48, [20, 120, 220]),
    });
    await loaded(pageA.getByRole("img", { name: "Image 1 to post" }));
    await pageA.getByRole("button", { name: "Post", exact: true }).click();
    const post = pageA.getByTestId("team-feed").getByTestId("post").filter({ hasText: body });
    await post.waitFor();
    await loaded(post.getByRole("img", { name: "Image 1 of the post" }));
    await post.getByRole("button", { name: "Pin" }).click();
    await pageA.getByTestId("pinned-post").getByText(body).waitFor();
    await post.getByRole("button", { name: "Unpin" }).waitFor();

    // Ben (at phone width) follows the team and reads the post in his home feed.
    await pageB.goto(`/teams/${slug}`);
    await pageB.getByTestId("pinned-post").getByText(body).waitFor();
    // A stranger to the team sees the post's image (its URL comes with the post).
    await loaded(pageB.getByTestId("pinned-post").getByRole("img", { name: "Image 1 of the pinned post" }));
    await pageB.getByRole("button", { name: "Follow", exact: true }).click();
    await pageB.getByRole("button", { name: "Unfollow" }).waitFor();
    await pageB.getByTestId("follower-count").getByText("1 follower", { exact: true }).waitFor();
    await pageB.goto("/feed");
    await pageB.getByTestId("home-feed").getByTestId("post").filter({ hasText: body }).waitFor();
    await pageB
      .getByRole("link", { name: new RegExp(teamName) })
      .first()
      .waitFor();
    const overflow = await pageB.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "the feed scrolls sideways at phone width").toBeLessThanOrEqual(0);
    // Back on the team page the button still knows he follows; the followers list names him.
    await pageB.goto(`/teams/${slug}`);
    await pageB.getByRole("button", { name: "Unfollow" }).waitFor();
    await pageB.locator("summary", { hasText: "Followers" }).click();
    await pageB.getByTestId("followers").getByText(`@${ben}`).waitFor();

    // Ben joins as a player; ada lets only managers post. His post and his delete are refused.
    const adaToken = (await stack.api().identity.signIn.mutate({ login: ada, password: PASSWORD })).token;
    const benToken = (await stack.api().identity.signIn.mutate({ login: ben, password: PASSWORD })).token;
    const invite = await stack.api(adaToken).invites.send.mutate({ teamSlug: slug, username: ben, role: "player" });
    await stack.api(benToken).invites.accept.mutate({ inviteId: invite.id });
    await pageA.getByRole("link", { name: "Settings and images" }).click();
    await pageA.getByLabel("Who may post").selectOption("managers");
    await pageA.getByRole("button", { name: "Save settings" }).click();
    await pageA.getByText("Settings saved.").waitFor();
    // teams.viewer answers what he may do: no composer, no Delete or Pin on ada's post, no
    // management links; the server refuses the same calls made directly.
    await pageB.reload();
    const bensView = pageB.getByTestId("team-feed").getByTestId("post").filter({ hasText: body });
    await bensView.waitFor();
    await pageB.getByRole("button", { name: "Leave team" }).waitFor(); // the viewer read has arrived
    expect(await pageB.getByRole("form", { name: "Write a post" }).count()).toBe(0);
    expect(await bensView.getByRole("button", { name: "Delete" }).count()).toBe(0);
    expect(await bensView.getByRole("button", { name: "Pin" }).count()).toBe(0);
    expect(await pageB.getByRole("navigation", { name: "Team management" }).count()).toBe(0);
    const postId = Number(
      (await stack.sql(`select id from team_posts where team_id = (select id from teams where slug = $1)`, [slug]))[0]!
        .id,
    );
    await expect(stack.api(benToken).posts.create.mutate({ teamSlug: slug, body: "A player's post" })).rejects.toThrow(
      "The team's settings do not let your role post on its feed",
    );
    await expect(stack.api(benToken).posts.delete.mutate({ postId })).rejects.toThrow(
      "Only the author or the team's moderators",
    );
    // Ada, the owner, is offered them all.
    const adasView = pageA.getByTestId("team-feed").getByTestId("post").filter({ hasText: body });
    await pageA.goto(`/teams/${slug}`);
    await adasView.getByRole("button", { name: "Delete" }).waitFor();
    await pageA.getByRole("link", { name: "Analytics" }).waitFor();
    await pageA.getByRole("link", { name: "Settings and images" }).click();
    const posts = await stack.sql(
      `select count(*)::int as n from team_posts where team_id = (select id from teams where slug = $1)`,
      [slug],
    );
    expect(posts[0]!.n).toBe(1);

    // Roster members-only: an anonymous visitor saw it, and now does not.
    const anon = await (await stack.context()).newPage();
    await anon.goto(`/teams/${slug}`);
    await anon.getByTestId("roster").getByText(`@${ada}`).waitFor();
    await pageA.getByLabel("Who sees the roster").selectOption("members");
    await pageA.getByRole("button", { name: "Save settings" }).click();
    await pageA.getByText("Settings saved.").waitFor();
    await anon.reload();
    await anon.getByTestId("roster-hidden").waitFor();
    expect(await anon.getByTestId("roster").count()).toBe(0);
    // The anonymous visitor is offered no follow button and no composer.
    expect(await anon.getByRole("button", { name: "Follow", exact: true }).count()).toBe(0);
    expect(await anon.getByRole("form", { name: "Write a post" }).count()).toBe(0);

    // Sponsors: an http link is refused at its field; an https one with a logo is proposed; a
    // player may not see the proposals; the owner approves, and the team page shows it.
    await pageA.goto(`/teams/${slug}/sponsors`);
    const sponsor = `Acme ${ada}`;
    await pageA.getByLabel("Sponsor name").fill(sponsor);
    await pageA.getByLabel("Link (https)").fill("http://acme.example/");
    await pageA.getByRole("button", { name: "Propose sponsor" }).click();
    await expect.poll(() => pageA.getByLabel("Link (https)").getAttribute("aria-invalid")).toBe("true");
    await pageA.getByRole("alert").filter({ hasText: "https" }).waitFor();
    await pageA.getByLabel("Link (https)").fill("https://acme.example/");
    await pageA.getByLabel("Logo (optional)").setInputFiles({
      name: "acme.png",
      mimeType: "image/png",
      buffer: png(24, [30, 200, 30]),
    });
    await loaded(pageA.getByRole("img", { name: "Sponsor logo to propose" }));
    await pageA.getByRole("button", { name: "Propose sponsor" }).click();
    await pageA.getByText(`Proposed ${sponsor}`).waitFor();
    await pageB.goto(`/teams/${slug}/sponsors`);
    await pageB
      .getByRole("alert")
      .filter({ hasText: "Only the team's owner and managers may see its sponsor proposals" })
      .waitFor();
    await pageA.getByRole("button", { name: `Approve ${sponsor}` }).click();
    await pageA.getByTestId("sponsor-list").getByText("Active").waitFor();
    await loaded(pageA.getByTestId("sponsor-list").getByRole("img", { name: `${sponsor} logo` }));
    await anon.reload();
    const shown = anon.getByTestId("sponsors").getByRole("link", { name: sponsor, exact: true });
    await shown.waitFor();
    // The logo is served to an anonymous visitor too (its URL comes with the sponsor).
    await loaded(anon.getByTestId("sponsors").getByRole("img", { name: `${sponsor} logo` }));
    expect(await shown.getAttribute("href")).toBe("https://acme.example/");

    // Analytics: empty until the weekly job runs (hourly; run now), then this week's row, with
    // ben's follow in it; a player is refused.
    await pageA.goto(`/teams/${slug}/analytics`);
    await pageA.getByText("No weeks computed yet").waitFor();
    await stack.sql(`select graphile_worker.add_job('social/analytics', '{}')`);
    await waitFor(
      async () =>
        (
          await stack.sql(
            `select 1 from team_analytics_weekly where team_id = (select id from teams where slug = $1)`,
            [slug],
          )
        ).length > 0,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await pageA.reload();
    const week = pageA.getByTestId("analytics").getByRole("row").nth(1);
    await expect.poll(() => week.getByRole("cell").nth(2).textContent()).toBe("1 (+1)");
    await expect.poll(() => week.getByRole("cell").nth(3).textContent()).toBe("0–0");
    await pageB.goto(`/teams/${slug}/analytics`);
    await pageB.getByRole("alert").filter({ hasText: "see its analytics" }).waitFor();
    expect(await pageB.getByRole("button", { name: "Try again" }).count()).toBe(0);
    expect(errors).toEqual([]);
  }, 240_000);
});
