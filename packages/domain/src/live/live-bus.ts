import type { Redis } from "ioredis";
import { compareEventIds } from "./event-id.ts";
import { databaseChannel } from "../shared/pubsub-channel.ts";

export interface LiveMessage {
  /** e.g. "match.updated", "bracket.changed", "notification.created". */
  type: string;
  data: Record<string, unknown>;
}

export interface LiveEvent extends LiveMessage {
  /** Stream id: ordered; a reconnecting client sends the last one it saw. */
  id: string;
  channel: string;
  at: string;
}

export interface LiveBusOptions {
  /** Command connection (streams + publish). Without Redis the bus is in-process only (one server). */
  redis?: Redis | undefined;
  /** A second connection, in subscriber mode, that receives every process's publications. */
  subscriber?: Redis | undefined;
  /** Events kept per channel for replay (a capped stream); older ones cannot be resumed. */
  replayWindow?: number;
  /** A failure the bus survives (a publish that did not reach Redis, a malformed message): log and count it. */
  onError?: ((stage: "publish" | "receive", error: unknown) => void) | undefined;
  /**
   * Called once per event handed to this process's listeners, with the time since it was
   * published (clocks of different processes may differ a little; never below 0).
   */
  onDeliver?: ((event: LiveEvent, latencyMs: number) => void) | undefined;
}

/** The live bus's pub/sub channel, one per Redis database (see databaseChannel). */
const pubsubChannel = (client: Parameters<typeof databaseChannel>[1]) => databaseChannel("dc:live", client);
const streamKey = (channel: string) => `dc:live:stream:${channel}`;
/** Idle channels' replay streams expire after a day. */
const STREAM_TTL_SECONDS = 86_400;

// Append to the channel's capped stream and publish in one atomic step, so pub/sub order is
// stream-id order. With a dedupe key (KEYS[2]), only the first publisher of that key publishes.
const PUBLISH_SCRIPT = `
if KEYS[2] and redis.call('SET', KEYS[2], '1', 'NX', 'EX', ${STREAM_TTL_SECONDS}) == false then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('EXPIRE', KEYS[1], ${STREAM_TTL_SECONDS})
redis.call('PUBLISH', ARGV[3], id .. ' ' .. ARGV[2])
return id`;

type Listener = (event: LiveEvent) => void;

/**
 * Live events, published after commit and fanned out through Redis pub/sub to every server
 * process; each channel keeps a capped Redis stream so a reconnecting client resumes from its
 * last event id and misses nothing inside the replay window.
 */
export class LiveBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly replayWindow: number;
  /** In-process mode only: the capped history per channel. */
  private readonly local = new Map<string, LiveEvent[]>();
  private lastLocalMs = 0;
  private localSeq = 0;
  private started = false;
  private closed = false;
  /** Wakes every open subscription so it can end (on close). */
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: LiveBusOptions = {}) {
    this.replayWindow = options.replayWindow ?? 1000;
  }

  /** Reports a failure the bus (or a publisher through it) survived. */
  reportError(stage: "publish" | "receive", error: unknown): void {
    try {
      this.options.onError?.(stage, error);
    } catch {
      // A failing reporter must not turn a survived failure into a crash.
    }
  }

  /** Starts receiving other processes' events (call once). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const sub = this.options.subscriber;
    if (!sub) return;
    const ours = pubsubChannel(sub);
    sub.on("message", (channel: string, message: string) => {
      if (channel !== ours) return;
      const space = message.indexOf(" ");
      try {
        const body = JSON.parse(message.slice(space + 1)) as Omit<LiveEvent, "id">;
        this.dispatch({ ...body, id: message.slice(0, space) });
      } catch (error) {
        // A malformed message is dropped and reported, never crashes the process.
        this.reportError("receive", error);
      }
    });
    // Redis may be down at start: wait a little, never forever (ioredis subscribes once it connects).
    const subscribed = sub.subscribe(ours).catch(() => undefined);
    await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  /** Publishes one event on `channel`; returns its id (null when `dedupeKey` was already published). */
  async publish(channel: string, message: LiveMessage, dedupeKey?: string): Promise<string | null> {
    const body = { channel, type: message.type, data: message.data, at: new Date().toISOString() };
    const redis = this.options.redis;
    if (!redis) {
      const event = { ...body, id: this.nextLocalId() };
      const history = this.local.get(channel) ?? [];
      history.push(event);
      if (history.length > this.replayWindow) history.splice(0, history.length - this.replayWindow);
      this.local.set(channel, history);
      this.dispatch(event);
      return event.id;
    }
    const keys = dedupeKey ? [streamKey(channel), `dc:live:dedupe:${dedupeKey}`] : [streamKey(channel)];
    const id = (await redis.eval(
      PUBLISH_SCRIPT,
      keys.length,
      ...keys,
      String(this.replayWindow),
      JSON.stringify(body),
      pubsubChannel(redis),
    )) as string | null;
    return id ?? null;
  }

  /** Events of `channel` published after `afterId`, oldest first (bounded by the replay window). */
  async replay(channel: string, afterId: string): Promise<LiveEvent[]> {
    const redis = this.options.redis;
    if (!redis) return (this.local.get(channel) ?? []).filter((e) => compareEventIds(e.id, afterId) > 0);
    const entries = await redis.xrange(streamKey(channel), `(${afterId}`, "+", "COUNT", this.replayWindow);
    const events: LiveEvent[] = [];
    for (const [id, fields] of entries) {
      const raw = fields[1];
      if (raw) events.push({ ...(JSON.parse(raw) as Omit<LiveEvent, "id">), id });
    }
    return events;
  }

  /**
   * The events of `channel` as they happen; with `lastEventId`, first those missed since it.
   * Listening starts before the replay, and ids at or below the last yielded one are skipped, so
   * an event published during the replay is delivered exactly once. The listener is registered
   * at call time (not at first iteration), so "subscribed" means no later event can be missed.
   */
  subscribe(
    channel: string,
    opts: { lastEventId?: string | null; signal?: AbortSignal } = {},
  ): AsyncGenerator<LiveEvent> {
    const queue: LiveEvent[] = [];
    const state: { wake?: (() => void) | undefined } = {};
    const listener: Listener = (event) => {
      queue.push(event);
      state.wake?.();
    };
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    const signal = opts.signal;
    const release = () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(channel) === set) this.listeners.delete(channel);
    };
    // Also released on abort: a stream that is never iterated never reaches its `finally`.
    const onAbort = () => {
      if (!state.wake) release();
      state.wake?.();
    };
    signal?.addEventListener("abort", onAbort);
    this.wakers.add(onAbort);
    return this.stream(channel, queue, state, opts.lastEventId ?? undefined, signal, () => {
      signal?.removeEventListener("abort", onAbort);
      this.wakers.delete(onAbort);
      release();
    });
  }

  private async *stream(
    channel: string,
    queue: LiveEvent[],
    state: { wake?: (() => void) | undefined },
    lastEventId: string | undefined,
    signal: AbortSignal | undefined,
    cleanup: () => void,
  ): AsyncGenerator<LiveEvent> {
    try {
      let last = lastEventId;
      if (last) {
        for (const event of await this.replay(channel, last)) {
          last = event.id;
          yield event;
        }
      }
      while (!signal?.aborted && !this.closed) {
        const event = queue.shift();
        if (!event) {
          await new Promise<void>((resolve) => (state.wake = resolve));
          state.wake = undefined;
          continue;
        }
        if (last && compareEventIds(event.id, last) <= 0) continue;
        last = event.id;
        yield event;
      }
    } finally {
      cleanup();
    }
  }

  /** Number of local listeners (metrics, tests). */
  listenerCount(channel?: string): number {
    if (channel) return this.listeners.get(channel)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Ends every open subscription (their generators return) and stops receiving. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
    const sub = this.options.subscriber;
    if (sub?.status === "ready") await sub.unsubscribe(pubsubChannel(sub)).catch(() => undefined);
  }

  private dispatch(event: LiveEvent): void {
    const set = this.listeners.get(event.channel);
    if (!set || set.size === 0) return;
    for (const listener of set) listener(event);
    this.options.onDeliver?.(event, Math.max(0, Date.now() - Date.parse(event.at)));
  }

  private nextLocalId(): string {
    const now = Date.now();
    if (now > this.lastLocalMs) {
      this.lastLocalMs = now;
      this.localSeq = 0;
    } else this.localSeq++;
    return `${this.lastLocalMs}-${this.localSeq}`;
  }
}
