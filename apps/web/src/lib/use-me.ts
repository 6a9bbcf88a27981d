import { useQuery } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { session } from "./session.ts";
import { useTRPC } from "./trpc.ts";

/** Whether the browser holds a session (re-renders on sign-in and sign-out). */
export function useSessionActive(): boolean {
  return useSyncExternalStore(session.subscribe, session.active);
}

export const ME_STALE_MS = 5 * 60_000;

/** The signed-in user, or null. */
export function useMe() {
  const trpc = useTRPC();
  const active = useSessionActive();
  const me = useQuery({ ...trpc.identity.me.queryOptions(), enabled: active, staleTime: ME_STALE_MS });
  const confirmed = me.isSuccess;
  useEffect(() => {
    if (confirmed) session.confirmed();
  }, [confirmed]);
  return { user: active ? (me.data ?? null) : null, loading: active && me.isPending };
}
