/**
 * The team page's actions, each clicked in Chromium against the real server and checked in the
 * database: edit (a refused name shown at its field, then saved), change role, remove, transfer
 * ownership, leave, disband — and declining an invite on "My invites". The journey covers
 * invite and accept; this file covers the rest of issue 15's team actions.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PASSWORD, signIn, uniqueName, useWebStack } from "./web.support.ts";

describe("the team page's actions", () => {
  const stack = useWebStack();

  async function player(prefix: string) {
    const username = uniqueName(prefix);
    const { token } = await stack
      .api()
      .identity.signUp.mutate({ username, email: `${username}@example.test`, password: PASSWORD });
    return { username, token, client: stack.api(token) };
  }

  async function signedIn(username: string): Promise<Page> {
    const page = await (await stack.context()).newPage();
    await page.goto("/");
    await signIn(page, username);
    await expect.poll(() => page.getByTestId("signed-in-user").textContent()).toContain(`@${username}`);
    return page;
  }

  const roleOf = async (teamId: number, username: string) =>
    (
      await stack.sql(
        `select m.role, m.status from team_memberships m join users u on u.id = m.user_id
          where m.team_id = $1 and u.username = $2`,
        [teamId, username],
      )
    )[0];

  it("edits, changes a role, removes, hands over ownership, leaves and disbands; an invite is declined", async () => {
    const [ada, ben, cy, dee] = [await player("ada"), await player("ben"), await player("cy"), await player("dee")];
    const team = await ada.client.teams.create.mutate({ name: `Actions ${ada.username}`, gameSlug: "valorant" });
    for (const member of [ben, cy]) {
      const invite = await ada.client.invites.send.mutate({
        teamSlug: team.slug,
        username: member.username,
        role: "player",
      });
      await member.client.invites.accept.mutate({ inviteId: invite.id });
    }
    const toDecline = await ada.client.invites.send.mutate({ teamSlug: team.slug, username: dee.username });

    // Dee declines her invite on "My invites": it leaves the list and is declined in the database.
    const deePage = await signedIn(dee.username);
    await deePage.getByRole("link", { name: "Invites" }).click();
    await deePage.getByRole("heading", { level: 1, name: "My invites" }).waitFor();
    await deePage.getByRole("button", { name: "Decline" }).click();
    await expect
      .poll(async () => (await stack.sql(`select status from team_invites where id = $1`, [toDecline.id]))[0])
      .toEqual({ status: "declined" });
    await deePage.getByRole("button", { name: "Decline" }).waitFor({ state: "detached" });

    const page = await signedIn(ada.username);
    await page.goto(`/teams/${team.slug}`);
    const roster = page.getByTestId("roster");
    await expect.poll(() => roster.getByRole("row").count()).toBe(4); // header + 3 members

    // Edit: a name the server refuses is shown at the Name field; a good one is saved.
    await page.getByText("Edit team").click();
    const name = page.getByLabel("Name", { exact: true });
    await name.fill("A");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    await name.fill(`Renamed ${ada.username}`);
    await page.getByLabel("Tag", { exact: true }).fill("RNM");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("[RNM]");
    const saved = await stack.sql(`select name, tag from teams where id = $1`, [team.id]);
    expect(saved[0]).toEqual({ name: `Renamed ${ada.username}`, tag: "RNM" });

    // Change ben's role to manager.
    const benRow = roster.getByRole("row", { name: new RegExp(`@${ben.username}`) });
    await benRow.getByLabel(`Role for ${ben.username}`).selectOption("manager");
    await benRow.getByRole("button", { name: "Change role" }).click();
    await expect.poll(() => roleOf(team.id, ben.username)).toEqual({ role: "manager", status: "active" });
    await expect.poll(() => benRow.getByRole("cell", { name: "manager", exact: true }).count()).toBe(1);

    // Remove cy.
    await page.getByRole("button", { name: `Remove ${cy.username}` }).click();
    await expect.poll(() => roster.getByRole("row").count()).toBe(3);
    expect(await roleOf(team.id, cy.username)).toEqual({ role: "player", status: "left" });

    // Hand ownership to ben: ada becomes a manager, and may leave.
    await page.getByRole("button", { name: `Make ${ben.username} owner` }).click();
    await expect.poll(() => roleOf(team.id, ben.username)).toEqual({ role: "owner", status: "active" });
    expect(await roleOf(team.id, ada.username)).toEqual({ role: "manager", status: "active" });
    await page.getByRole("button", { name: "Leave team" }).click();
    await page.getByRole("button", { name: "Yes, leave" }).click();
    await expect.poll(() => roleOf(team.id, ada.username)).toMatchObject({ status: "left" });
    await page.getByRole("heading", { name: "Manage" }).waitFor({ state: "detached" });

    // Ben, now the owner, disbands it from his own browser and lands on his teams.
    const benPage = await signedIn(ben.username);
    await benPage.goto(`/teams/${team.slug}`);
    await benPage.getByRole("button", { name: "Disband team" }).click();
    await benPage.getByRole("button", { name: "Yes, disband for good" }).click();
    await benPage.getByRole("heading", { level: 1, name: "My teams" }).waitFor();
    const disbanded = await stack.sql(`select disbanded_at is not null as gone from teams where id = $1`, [team.id]);
    expect(disbanded[0]).toEqual({ gone: true });
  }, 120_000);
});
