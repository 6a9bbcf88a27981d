/**
 * The one place that knows how the browser holds its session: an HttpOnly, SameSite=Lax cookie
 * the server sets on sign-in/sign-up and clears on sign-out (`createClient({ cookies: true })`).
 * No script can read it, a reload keeps it, and subscriptions (SSE) carry it too. The page only
 * tracks whether a session is known to exist, may exist (first load), or is known to be gone.
 */
import { createClient } from "@deltacrown/client";

type State = "unknown" | "in" | "out";

let state: State = "unknown";
const listeners = new Set<() => void>();
const set = (next: State) => {
  if (state === next) return;
  state = next;
  listeners.forEach((l) => l());
};

export const client = createClient({ url: window.location.origin, cookies: true });

export const session = {
  /** Whether a session may exist, so authed reads are worth asking for. */
  active: () => state !== "out",
  /** Whether the server has confirmed a session in this tab (sign-in, or identity.me answered). */
  known: () => state === "in",
  signedIn: () => set("in"),
  confirmed: () => set("in"),
  signedOut: () => set("out"),
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
