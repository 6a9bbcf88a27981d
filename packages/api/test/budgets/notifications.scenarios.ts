import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/** A user with three team invites, hence three unread notifications. */
async function inviteeWithThreeNotifications(api: Api) {
  const target = await api.user(uniq("notified"));
  for (const n of ["A ", "B ", "C "]) {
    const owner = await api.user(uniq("notifier"));
    const team = await api.team(owner, uniq(`Notify ${n}`));
    await owner.caller.invites.send({ teamSlug: team.slug, username: target.user.username, role: "player" });
  }
  return target;
}

/** Query-budget scenarios for the notifications router. */
export const notificationsScenarios = {
  "notifications.list": {
    queries: 2, // session, one keyset page
    async run(api) {
      const target = await inviteeWithThreeNotifications(api);
      return api.measure(() => target.caller.notifications.list({ limit: 2 }));
    },
  },
  "notifications.markRead": {
    queries: 2, // session, one update scoped to the actor
    async run(api) {
      const target = await inviteeWithThreeNotifications(api);
      return api.measure(() => target.caller.notifications.markRead({ all: true }));
    },
  },
  "notifications.unreadCount": {
    queries: 2, // session, one count on the partial index
    async run(api) {
      const target = await inviteeWithThreeNotifications(api);
      return api.measure(() => target.caller.notifications.unreadCount());
    },
  },
} satisfies Scenarios<"notifications">;
