/**
 * The journey a new player takes, in a real Chromium against the real server and database:
 * sign up → create a team → invite a second player, who accepts in a second browser while the
 * first sees the roster change live → search → leaderboard → wallet transfer (a double click
 * sends one) → the notification badge. Then the bad paths, each leaving the page usable.
 */
import { describe, expect, it } from "vitest";
import { PASSWORD, signIn, signUp, uniqueName, useWebStack } from "./web.support.ts";

describe("the web app in a browser", () => {
  const stack = useWebStack();

  it("carries a new player from sign-up to a live roster, a transfer and the badge", async () => {
    const ada = uniqueName("ada");
    const ben = uniqueName("ben");
    const pageA = await (await stack.context()).newPage();
    const pageB = await (await stack.context()).newPage();
    await signUp(pageA, ada);
    await signUp(pageB, ben);

    // Create a team.
    const teamName = `Crown ${ada}`;
    await pageA.getByRole("link", { name: "Teams", exact: true }).click();
    await pageA.getByRole("link", { name: "Create a team" }).click();
    await pageA.getByLabel("Team name").fill(teamName);
    await pageA.getByLabel("Tag (optional)").fill("CRN");
    await pageA.getByLabel("Game").selectOption("valorant");
    await pageA.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => pageA.getByRole("heading", { level: 1 }).textContent()).toContain(teamName);
    const roster = pageA.getByTestId("roster");
    await expect.poll(() => roster.getByRole("row").count()).toBe(2); // header + the owner

    // Invite ben; his badge counts the invite as it arrives, without a reload.
    await pageB.getByRole("link", { name: /Notifications/ }).waitFor();
    await pageA.getByLabel("Username to invite").fill(ben);
    await pageA.getByRole("button", { name: "Send invite" }).click();
    await pageA.getByText(`Invited ${ben}.`).waitFor();
    await expect.poll(() => pageB.getByTestId("unread-badge").textContent(), { timeout: 20_000 }).toBe("1");

    // Ben accepts in his own browser; ada's page shows him on the roster live.
    await pageB.getByRole("link", { name: "Invites" }).click();
    await pageB.getByRole("button", { name: `Accept invite to ${teamName}` }).click();
    await expect.poll(() => pageB.getByRole("heading", { level: 1 }).textContent()).toContain(teamName);
    await expect.poll(() => roster.getByText(`@${ben}`).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => roster.getByRole("row").count()).toBe(3);
    // Ada's badge counts the acceptance, live too.
    await expect.poll(() => pageA.getByTestId("unread-badge").textContent(), { timeout: 20_000 }).toBe("1");

    // Search finds the team by its name's prefix.
    await pageA.getByRole("link", { name: "Teams", exact: true }).click();
    await pageA.getByLabel("Name starts with").fill(teamName.slice(0, 9));
    await pageA.getByLabel("Game").selectOption("valorant");
    await pageA.getByRole("button", { name: "Search" }).click();
    await pageA.getByRole("link", { name: new RegExp(teamName) }).waitFor();

    // Leaderboard: computed by the worker's job (run now rather than waiting for its cron).
    await stack.computeLeaderboards();
    await pageA.getByRole("link", { name: "Leaderboards" }).click();
    await pageA.getByRole("link", { name: "Crimson Crown" }).waitFor();
    await pageA.getByLabel("Tier").selectOption("platinum");
    await pageA.getByRole("link", { name: "Crimson Crown" }).waitFor();

    // Wallet: staff mints ada 500 coins; she sends ben 120 with a double click: one transfer.
    await stack.sql(`update users set is_staff = true where username = 'alice'`);
    const staff = await stack.api().identity.signIn.mutate({ login: "alice", password: "deltacrown-demo" });
    await stack.api(staff.token).wallets.mint.mutate({ username: ada, amount: 500, reason: "web journey" });
    await pageA.getByRole("link", { name: "Wallet" }).click();
    await expect.poll(() => pageA.getByTestId("balance").textContent()).toBe("500");
    await pageA.getByLabel("To (username)").fill(ben);
    await pageA.getByLabel("Amount").fill("120");
    await pageA.getByRole("button", { name: "Send" }).dblclick();
    await pageA.getByText(`Sent 120 to ${ben}. Balance: 380.`).waitFor();
    await expect.poll(() => pageA.getByTestId("balance").textContent()).toBe("380");
    const transfers = await stack.sql(
      `select count(*)::int as n from wallet_transactions
        where kind = 'transfer' and actor_id = (select id from users where username = $1)`,
      [ada],
    );
    expect(transfers[0]!.n).toBe(1);
    const benToken = (await stack.api().identity.signIn.mutate({ login: ben, password: PASSWORD })).token;
    expect((await stack.api(benToken).wallets.balance.query()).balance).toBe(120);

    // Notifications: the list shows the acceptance; marking all read clears the badge.
    await pageA.getByRole("link", { name: /Notifications/ }).click();
    await pageA.getByText(`@${ben} accepted your invite`).waitFor();
    await pageA.getByRole("button", { name: "Mark all read" }).click();
    await expect.poll(() => pageA.getByTestId("unread-badge").textContent()).toBe("0");
  }, 120_000);

  it("shows a clear message for each bad path and stays usable", async () => {
    const page = await (await stack.context()).newPage();
    const cleo = uniqueName("cleo");
    await signUp(page, cleo);
    await page.getByRole("button", { name: "Sign out" }).click();

    // A wrong password: said at the form, and the right one still works.
    await signIn(page, cleo, "not-the-password");
    await page.getByRole("alert").filter({ hasText: "Wrong username or password" }).waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByTestId("signed-in-user").textContent()).toContain(`@${cleo}`);

    // A taken team address: shown at that field; another address then succeeds.
    await page.getByRole("link", { name: "Teams", exact: true }).click();
    await page.getByRole("link", { name: "Create a team" }).click();
    await page.getByLabel("Team name").fill("Crimson Again");
    await page.getByLabel(/^Address/).fill("crimson-crown");
    await page.getByRole("button", { name: "Create team" }).click();
    await page.getByText('The team slug "crimson-crown" is taken').waitFor();
    await expect.poll(() => page.getByLabel(/^Address/).getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel(/^Address/).fill(`crimson-${cleo}`);
    await page.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Crimson Again");

    // A forbidden action: cleo's page offers "Remove" as a manager; her role drops behind its back
    // (straight in the database, so no live update refreshes the buttons); the server refuses.
    const owner = await stack.api().identity.signUp.mutate({
      username: uniqueName("own"),
      email: `${uniqueName("own")}@example.test`,
      password: PASSWORD,
    });
    const victim = await stack.api().identity.signUp.mutate({
      username: uniqueName("vic"),
      email: `${uniqueName("vic")}@example.test`,
      password: PASSWORD,
    });
    const asOwner = stack.api(owner.token);
    const team = await asOwner.teams.create.mutate({ name: `Strict ${cleo}`, gameSlug: "cs2" });
    const cleoToken = (await stack.api().identity.signIn.mutate({ login: cleo, password: PASSWORD })).token;
    for (const [user, token, role] of [
      [cleo, cleoToken, "manager"],
      [victim.user.username, victim.token, "player"],
    ] as const) {
      const invite = await asOwner.invites.send.mutate({ teamSlug: team.slug, username: user, role });
      await stack.api(token).invites.accept.mutate({ inviteId: invite.id });
    }
    await page.getByRole("link", { name: "My teams" }).click();
    await page.getByRole("link", { name: new RegExp(`Strict ${cleo}`) }).click();
    const remove = page.getByRole("button", { name: `Remove ${victim.user.username}` });
    await remove.waitFor();
    await stack.sql(
      `update team_memberships set role = 'player' where team_id = $1 and user_id = (select id from users where username = $2)`,
      [team.id, cleo],
    );
    await remove.click();
    await page
      .getByRole("alert")
      .filter({ hasText: /may not remove|Only the owner and managers/ })
      .waitFor();
    await page.getByRole("link", { name: "Wallet" }).click();
    await page.getByRole("heading", { name: "Wallet" }).waitFor();

    // An expired session: the next call says so, the header offers sign-in, and it works.
    await stack.sql(
      `update sessions set expires_at = now() - interval '1 minute' where user_id = (select id from users where username = $1)`,
      [cleo],
    );
    // The next authed call tells: the click's, or a background read's if one comes first (then
    // the link is gone with the session, and the click's retries end with the context).
    void page
      .getByRole("link", { name: "Invites" })
      .click()
      .catch(() => undefined);
    await page.getByText("Your session has expired.").waitFor();
    await page.getByRole("banner").getByRole("link", { name: "Sign in" }).waitFor();
    await signIn(page, cleo);
    await expect.poll(() => page.getByTestId("signed-in-user").textContent()).toContain(`@${cleo}`);
  }, 120_000);
});
