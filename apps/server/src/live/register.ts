import { appRouter, createContextInner, sessionOf, type ContextDeps } from "@deltacrown/api";
import { installLiveBus, LiveBus, uninstallLiveBus, watchRedisErrors } from "@deltacrown/domain";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { WebSocketServer } from "ws";
import { DEFAULT_MAX_BATCH_CALLS } from "../app.ts";
import { originTrust, type BrowserPolicy } from "../browser.ts";
import { clientAddressOf, type TrustFn } from "../client-address.ts";
import { startNotificationRelay } from "./notification-relay.ts";

/** WebSocket endpoint for subscriptions (SSE subscriptions use the regular /trpc route). */
export const LIVE_WS_PATH = "/trpc-ws";

export interface LiveOptions {
  deps: ContextDeps;
  /** Without Redis, live events reach only this process's listeners (fine for one process). */
  redisUrl?: string | undefined;
  databaseUrl: string;
  /** Who may set X-Forwarded-For on the upgrade request (the HTTP route's setting). */
  trustProxy: TrustFn;
  /** Most calls in one batched WebSocket message. */
  maxBatchCalls?: number | undefined;
  /** Whose pages may use the session cookie over the WebSocket (the HTTP route's policy). */
  browser: BrowserPolicy;
}

/**
 * Live updates for one server process: the live bus (Redis pub/sub + capped streams for replay),
 * the relay of committed notifications, and the tRPC WebSocket handler. Closed with the app.
 */
export async function registerLive(app: FastifyInstance, options: LiveOptions): Promise<LiveBus> {
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const subscriber = redis?.duplicate({ maxRetriesPerRequest: null });
  const metrics = options.deps.metrics;
  const redisReport = {
    count: (client: string) => metrics?.redisErrors.inc({ client }),
    log: (client: string, err: unknown, suppressed: number) =>
      app.log.warn({ err, client, suppressed }, "redis connection error"),
  };
  watchRedisErrors(redis, "live", redisReport);
  watchRedisErrors(subscriber, "live-subscriber", redisReport);
  const bus = new LiveBus({
    redis,
    subscriber,
    onError(stage, err) {
      metrics?.liveErrors.inc({ stage });
      app.log.warn({ err, stage }, "live update failed");
    },
    onDeliver: metrics && ((_event, latencyMs) => metrics.liveFanout.observe(latencyMs / 1000)),
  });
  await bus.start();
  installLiveBus(bus);
  const relay = await startNotificationRelay(options.databaseUrl, bus, (err) => {
    metrics?.liveErrors.inc({ stage: "relay" });
    app.log.warn({ err }, "live relay");
  });

  const wss = new WebSocketServer({ noServer: true });
  app.server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://x").pathname !== LIVE_WS_PATH) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  const trustedOrigin = originTrust(options.browser);
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: options.maxBatchCalls ?? DEFAULT_MAX_BATCH_CALLS,
    // Browsers cannot set headers on a WebSocket: the token may come as a connection param, or
    // the session cookie, which is taken only from a trusted Origin (WebSockets have no CORS:
    // any page could open one with the visitor's cookie). One id per connection: its
    // subscriptions' log lines and errors carry it.
    createContext: ({ req, info }) => {
      const requestId = `ws-${randomUUID()}`;
      const trusted = trustedOrigin(req.headers);
      const session = sessionOf(req.headers, info.connectionParams);
      const accepted = session.tokenSource !== "cookie" || trusted ? session : { token: null, tokenSource: null };
      return createContextInner({
        ...options.deps,
        logger: app.log.child({ requestId }),
        ...accepted,
        trustedOrigin: trusted,
        clientAddress: clientAddressOf(req, options.trustProxy),
        requestId,
      });
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  });

  // SSE subscriptions are long-lived requests on /trpc: remember their sockets so closing can end them.
  const sseSockets = new Set<Socket>();
  app.addHook("onRequest", (req, _reply, done) => {
    if (req.headers.accept?.includes("text/event-stream")) {
      const socket = req.raw.socket;
      sseSockets.add(socket);
      socket.once("close", () => sseSockets.delete(socket));
    }
    done();
  });

  // Before the HTTP server waits for open requests: end every stream (SSE responses finish, and
  // WebSocket clients are told to reconnect elsewhere), then drop the connections.
  app.addHook("preClose", async () => {
    handler.broadcastReconnectNotification();
    await bus.close();
    uninstallLiveBus(bus);
    // Clients reconnect (to another process) and resume from their last event id.
    for (const socket of sseSockets) socket.destroy();
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await relay.close();
    // quit() on a connection that never came up would wait in the offline queue forever.
    for (const c of [redis, subscriber]) {
      if (c?.status === "ready") await c.quit().catch(() => undefined);
      else c?.disconnect();
    }
  });
  return bus;
}
