import type { RouterOutputs } from "@deltacrown/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { RequireUser } from "../components/require-user.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { FormError } from "../components/status.tsx";
import { messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

type Notification = RouterOutputs["notifications"]["list"]["items"][number];

/** A readable line for each kind; unknown kinds still show their name. */
function describe(n: Notification): string {
  const p = n.payload as Record<string, string | undefined>;
  switch (n.kind) {
    case "team.invite":
      return `@${p.from ?? "someone"} invited you to ${p.teamName ?? "a team"} as ${p.role ?? "player"}`;
    case "team.invite_accepted":
      return `@${p.username ?? "a player"} accepted your invite to ${p.teamSlug ?? "your team"}`;
    case "team.member_removed":
      return `@${p.by ?? "someone"} removed you from ${p.teamName ?? "a team"}`;
    case "team.role_changed":
      return `Your role on ${p.teamName ?? "a team"} changed${p.role ? ` to ${p.role}` : ""}`;
    case "team.disbanded":
      return `${p.teamName ?? "A team"} was disbanded`;
    case "rankings.tier_changed":
      return `${p.teamName ?? "Your team"} moved from ${p.from ?? "?"} to ${p.to ?? "?"}`;
    default:
      return n.kind.replaceAll(/[._]/g, " ");
  }
}

function Notifications() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(
    trpc.notifications.list.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  const markRead = useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() }),
    }),
  );
  const items = itemsOf(list);
  const unread = items.some((n) => n.readAt === null);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Notifications</h1>
        {unread && (
          <button type="button" onClick={() => markRead.mutate({ all: true })} disabled={markRead.isPending}>
            Mark all read
          </button>
        )}
      </div>
      <FormError message={markRead.error ? messageOf(markRead.error) : null} />
      <PagedList
        query={list}
        items={items}
        what="notifications"
        empty="Nothing yet. Invites, roster changes and transfers show up here as they happen."
      >
        {(items) => (
          <ul className="cards" aria-live="polite">
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? "card read" : "card unread"}>
                <span>
                  {n.readAt === null && (
                    <>
                      <span className="dot" aria-hidden="true" />
                      <span className="visually-hidden">Unread: </span>
                    </>
                  )}{" "}
                  {describe(n)}
                </span>
                <span className="muted">{new Date(n.createdAt).toLocaleString()}</span>
                {n.readAt === null && (
                  <button type="button" className="link-button" onClick={() => markRead.mutate({ ids: [n.id] })}>
                    Mark read
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

export function NotificationsPage() {
  return (
    <RequireUser title="Notifications">
      <Notifications />
    </RequireUser>
  );
}
