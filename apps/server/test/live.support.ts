import { createClient, type SubscriptionOptions } from "@deltacrown/client";
import { EventSource } from "eventsource";
import { WebSocket } from "ws";

export const SSE: SubscriptionOptions = { transport: "sse", EventSource };
export const WS: SubscriptionOptions = { transport: "ws", WebSocket };

export function liveClient(url: string, transport: SubscriptionOptions, token?: string) {
  return createClient({ url, token, subscriptions: transport });
}

/** Collects a subscription's events (and its error) until unsubscribed. */
export interface Collected {
  events: { id: string; type: string; data: Record<string, unknown> }[];
  error?: { data?: { code?: string } | null } | undefined;
  started: boolean;
  stop(): void;
}

export function collect(
  subscribe: (handlers: {
    onData(d: { id: string; data: { type: string; data: Record<string, unknown> } }): void;
    onError(e: unknown): void;
    onStarted(): void;
  }) => { unsubscribe(): void },
): Collected {
  const out: Collected = { events: [], started: false, stop: () => undefined };
  const sub = subscribe({
    // Tracked events are at-least-once across a reconnect (the resume replays anything after the
    // last id the client recorded), so a client keeps the first copy of each id, as this does.
    // A second event with a new id is still a duplicate the assertions catch.
    onData: (d) => {
      if (!out.events.some((e) => e.id === d.id)) out.events.push({ id: d.id, type: d.data.type, data: d.data.data });
    },
    onError: (e) => (out.error = e as Collected["error"]),
    onStarted: () => (out.started = true),
  });
  out.stop = () => sub.unsubscribe();
  return out;
}
