import { liveChannels, type LiveBus } from "@deltacrown/domain";
import pg from "pg";

interface NotificationSignal {
  id: number;
  userId: number;
  kind: string;
  payload: Record<string, unknown> | null;
}

/**
 * Relays committed notifications (Postgres NOTIFY from the notifications_live trigger, sent only
 * on commit) to the live bus. Every server process listens; the bus publishes each notification
 * once (deduplicated by id in Redis), and every process's subscribers receive it via pub/sub.
 */
export async function startNotificationRelay(
  databaseUrl: string,
  bus: LiveBus,
  onError: (error: unknown) => void,
): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const c = new pg.Client({ connectionString: databaseUrl, application_name: "deltacrown-live" });
    c.on("error", (error) => {
      onError(error);
      c.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect().catch(onError), 1000);
    });
    c.on("notification", (msg) => {
      if (msg.channel !== "dc_live_notifications" || !msg.payload) return;
      let n: NotificationSignal;
      try {
        n = JSON.parse(msg.payload) as NotificationSignal;
        if (typeof n?.userId !== "number" || typeof n.id !== "number") throw new Error("not a notification signal");
      } catch (error) {
        // A malformed signal (an old trigger, a manual NOTIFY) is reported and dropped, never thrown
        // from an event handler, where it would crash the process.
        onError(error);
        return;
      }
      bus
        .publish(
          liveChannels.userNotifications(n.userId),
          { type: "notification.created", data: { id: n.id, kind: n.kind, payload: n.payload } },
          `notification:${n.id}`,
        )
        .catch(onError);
    });
    await c.connect();
    await c.query("listen dc_live_notifications");
    client = c;
  };
  await connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
