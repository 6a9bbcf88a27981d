/**
 * The in-app inbox: newest first with a cursor, mark read by ids or all, unread count — and no
 * user ever reads or marks another user's rows.
 */
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { useApi, type Api } from "./support.ts";

let seq = 0;
const name = (p: string) => `${p}${++seq}`;

async function invitedBy(api: Api, count: number) {
  const target = await api.user(name("inbox"));
  const teams: string[] = [];
  for (let i = 0; i < count; i++) {
    const owner = await api.user(name("sender"));
    const team = await api.team(owner, name("Inbox Team "));
    teams.push(team.slug);
    await owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" });
  }
  return { target, teams };
}

describe("notifications", () => {
  const api = useApi();

  it("lists newest first, page by page, until the cursor runs out", async () => {
    const { target, teams } = await invitedBy(api, 5);
    const first = await target.caller.notifications.list({ limit: 2 });
    expect(first.items.map((n) => n.payload.teamSlug)).toEqual([teams[4], teams[3]]);
    expect(first.items[0]).toMatchObject({ kind: "team.invite", readAt: null });
    expect(first.nextCursor).toBe(first.items[1]!.id);
    const second = await target.caller.notifications.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((n) => n.payload.teamSlug)).toEqual([teams[2], teams[1]]);
    const third = await target.caller.notifications.list({ limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((n) => n.payload.teamSlug)).toEqual([teams[0]]);
    expect(third.nextCursor).toBeNull();
    expect((await target.caller.notifications.list()).items).toHaveLength(5);
  });

  it("refuses pages over 50 and anonymous callers", async () => {
    const { target } = await invitedBy(api, 0);
    await expect(target.caller.notifications.list({ limit: 51 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.caller().notifications.unreadCount()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(api.caller().notifications.markRead({ all: true })).rejects.toBeInstanceOf(TRPCError);
    await expect(target.caller.notifications.markRead({ ids: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("marks by ids or all, counts unread, and never touches another user's rows", async () => {
    const { target: alice } = await invitedBy(api, 3);
    const { target: bob } = await invitedBy(api, 2);
    const bobs = await bob.caller.notifications.list();
    const alices = await alice.caller.notifications.list();
    expect(await alice.caller.notifications.unreadCount()).toEqual({ count: 3 });

    // Alice names one of hers and both of Bob's: only hers changes.
    const ids = [alices.items[0]!.id, ...bobs.items.map((n) => n.id)];
    expect(await alice.caller.notifications.markRead({ ids })).toEqual({ updated: 1 });
    expect(await alice.caller.notifications.unreadCount()).toEqual({ count: 2 });
    expect(await bob.caller.notifications.unreadCount()).toEqual({ count: 2 });
    // Bob's ids never appear in Alice's list, whatever the cursor.
    const all = await alice.caller.notifications.list({ limit: 50 });
    expect(all.items.map((n) => n.id).some((id) => bobs.items.some((b) => b.id === id))).toBe(false);
    expect(all.items.filter((n) => n.readAt !== null).map((n) => n.id)).toEqual([alices.items[0]!.id]);
    expect((await alice.caller.notifications.list({ unreadOnly: true })).items).toHaveLength(2);

    // Marking again is a no-op; "all" marks only the rest of hers.
    expect(await alice.caller.notifications.markRead({ ids: [alices.items[0]!.id] })).toEqual({ updated: 0 });
    expect(await alice.caller.notifications.markRead({ all: true })).toEqual({ updated: 2 });
    expect(await alice.caller.notifications.unreadCount()).toEqual({ count: 0 });
    expect(await bob.caller.notifications.unreadCount()).toEqual({ count: 2 });
  });
});
