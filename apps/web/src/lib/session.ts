/**
 * The one place that knows how the browser holds its session. Today: the bearer token from
 * sign-in/sign-up, kept in memory only (never in storage a script could read later), sent on
 * every call and, for subscriptions, as the WebSocket's connection params.
 * Cookie sessions replace this with `createClient({ url, cookies: true })` in this file alone.
 */
import { createClient, type RouterOutputs } from "@deltacrown/client";

type AuthResult = RouterOutputs["identity"]["signIn"];

let token: string | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export const client = createClient({
  url: window.location.origin,
  token: () => token,
  // Browsers cannot put a bearer header on an EventSource; a WebSocket carries it as a param.
  subscriptions: { transport: "ws" },
});

export const session = {
  /** Whether a session may exist, so authed reads are worth asking for. */
  active: () => token !== null,
  signedIn: (result: AuthResult) => {
    token = result.token;
    emit();
  },
  signedOut: () => {
    token = null;
    emit();
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
