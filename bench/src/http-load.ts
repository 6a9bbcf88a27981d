import http from "node:http";
import { summarize, type LatencyStats } from "./stats.ts";

/**
 * One HTTP request of a load mix: a GET path (tRPC queries are GETs) and optional headers; with a
 * `body` it is a JSON POST (a tRPC mutation).
 */
export interface LoadRequest {
  label: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  /** Concurrent connections (virtual users), each a closed loop. */
  concurrency: number;
  seconds: number;
  /** Not measured: fills caches, pools and JIT first. */
  warmupSeconds?: number;
  /** Next request of a virtual user (round-robin, random, weighted mix…); `undefined` ends that user (inputs ran out). */
  next: (vu: number, seq: number) => LoadRequest | undefined;
  /** Pause between one user's requests (ms); 0 = back to back. */
  thinkMs?: (vu: number) => number;
}

export interface LoadResult {
  seconds: number;
  /** Latencies (ms) and error counts per request label. */
  byLabel: Map<string, { latencies: number[]; errors: number }>;
}

/**
 * A closed-loop load generator over keep-alive connections (one socket per virtual user), so the
 * server sees `concurrency` requests in flight. Written here to avoid a dependency: it is ~60
 * lines, and node:http with keep-alive is fast enough to saturate the servers measured.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const base = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const byLabel = new Map<string, { latencies: number[]; errors: number }>();
  let measuring = false;
  let stop = false;
  const bucket = (label: string) => {
    let b = byLabel.get(label);
    if (!b) byLabel.set(label, (b = { latencies: [], errors: 0 }));
    return b;
  };

  const vu = async (id: number) => {
    for (let seq = 0; !stop; seq++) {
      const request = options.next(id, seq);
      if (!request) break;
      const started = performance.now();
      const ok = await send(base, agent, request);
      const elapsed = performance.now() - started;
      if (measuring && !stop) {
        const b = bucket(request.label);
        if (ok) b.latencies.push(elapsed);
        else b.errors++;
      }
      const think = options.thinkMs?.(id) ?? 0;
      if (think > 0 && !stop) await new Promise((r) => setTimeout(r, think));
    }
  };

  let finished = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (allDone = r));
  const users = Array.from({ length: options.concurrency }, (_, i) =>
    vu(i).finally(() => {
      if (++finished === options.concurrency) allDone();
    }),
  );
  // Every wait also ends (its timer cleared) when all users ran out of requests, so the window is
  // what was measured and no timer outlives the load.
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      void done.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  await wait((options.warmupSeconds ?? 1) * 1000);
  measuring = true;
  const started = performance.now();
  await wait(options.seconds * 1000);
  stop = true;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(users);
  agent.destroy();
  return { seconds, byLabel };
}

function send(base: URL, agent: http.Agent, request: LoadRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const headers =
      request.body === undefined ? request.headers : { ...request.headers, "content-type": "application/json" };
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: request.path,
        method: request.body === undefined ? "GET" : "POST",
        agent,
        headers,
      },
      (res) => {
        res.on("data", () => undefined);
        res.on("end", () => resolve(res.statusCode === 200));
        res.on("error", () => resolve(false));
      },
    );
    req.on("error", () => resolve(false));
    req.end(request.body);
  });
}

/** The latency summary of one label of a load's window (zeros when none of its requests ran). */
export function statsOf(result: LoadResult, label: string): LatencyStats {
  const b = result.byLabel.get(label) ?? { latencies: [], errors: 0 };
  return summarize(b.latencies, b.errors, result.seconds);
}

/** The GET path of a tRPC query (no transformer: the input is plain JSON). */
export function trpcPath(procedure: string, input: unknown): string {
  return input === undefined
    ? `/trpc/${procedure}`
    : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}
