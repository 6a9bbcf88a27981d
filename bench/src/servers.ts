import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { findFreePort } from "@deltacrown/db/embedded";
import { repoRoot } from "./dataset.ts";
import type { ServeMode } from "./serve.ts";
import { BENCH_SCRYPT_COST } from "./dataset.ts";

export interface ServerUnderTest {
  url: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** The entry, relative to the repository (run under tsx). */
  file: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Node flags before the entry (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Polled until it answers 200, for entries that print no READY line (main.ts). */
  readyUrl?: string;
  name: string;
}

/**
 * Starts an entry in a child process under tsx and waits until it serves: its `READY <url>` line,
 * or `readyUrl` answering 200 (then that URL's origin is the server's). Stop sends SIGTERM and
 * resolves when it has exited (SIGKILL after 10 s): a profiled child writes its profile on exit.
 */
export async function spawnServer(o: SpawnOptions): Promise<ServerUnderTest> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...(o.nodeArgs ?? []), "--conditions=source", "--import", "tsx", path.join(repoRoot, o.file), ...(o.args ?? [])],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], env: o.env ?? process.env },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    // Generous: on a shared, loaded machine tsx alone can take a minute to load the server.
    const timer = setTimeout(() => reject(new Error(`${o.name} server did not start in 180 s`)), 180_000);
    const done = (url: string) => {
      clearTimeout(timer);
      resolve(url);
    };
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) done(line.slice(6).trim());
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${o.name} server exited with ${code}`));
    });
    const ready = o.readyUrl;
    if (ready)
      void (async () => {
        while (child.exitCode === null) {
          const ok = await fetch(ready).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) return done(new URL(ready).origin);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Starts serve.ts in a child process (tsx) and waits for its READY line. */
export function startServer(mode: ServeMode, databaseUrl: string, teams: number): Promise<ServerUnderTest> {
  return spawnServer({ name: mode, file: "bench/src/serve.ts", args: [mode, databaseUrl, String(teams)] });
}

/**
 * The production entry (apps/server/src/main.ts) as an operator runs it: configured by the
 * environment, `processes` API processes on one port (WEB_CONCURRENCY), Redis shared; abuse limits
 * off (the load comes from one address) and no worker in it.
 */
export async function startProduction(o: {
  databaseUrl: string;
  redisUrl: string;
  processes: number;
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
}): Promise<ServerUnderTest> {
  const port = await findFreePort();
  return spawnServer({
    name: `main.ts × ${o.processes}`,
    file: "apps/server/src/main.ts",
    nodeArgs: o.nodeArgs,
    readyUrl: `http://127.0.0.1:${port}/health/ready`,
    env: {
      ...process.env,
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      NO_COLOR: "1",
      SCRYPT_COST: String(BENCH_SCRYPT_COST),
      RATE_LIMITS: "off",
      RUN_WORKER: "false",
      WORKER_STALE_AFTER_MS: "0",
      WEB_CONCURRENCY: String(o.processes),
      ...o.env,
    },
  });
}

/** A redis-server of the bench's own (nothing kept on disk), for runs without REDIS_URL. */
export async function startPrivateRedis(): Promise<{ url: string; stop(): void }> {
  const port = await findFreePort();
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const stop = () => redis.kill("SIGKILL");
  process.once("exit", stop);
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: redis.stdout });
    lines.on("line", (line) => {
      if (/Ready to accept connections/.test(line)) resolve();
    });
    redis.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop };
}
