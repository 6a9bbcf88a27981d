import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "@deltacrown/db/embedded";

/**
 * A private Postgres cluster from the machine's own binaries (`pg_config --bindir`), for tests that
 * must do to a database what they can't do to the shared one: restart it (fast or immediate), stop
 * it, or stream from it to a replica. Runs as the `postgres` OS user when this process is root
 * (initdb refuses root). Killed synchronously when this process exits.
 */
export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  /** pg_ctl, awaited without blocking the event loop (a test's load keeps running meanwhile). */
  start(): Promise<void>;
  stop(mode?: StopMode): Promise<void>;
  restart(mode?: StopMode): Promise<void>;
  /** Removes the cluster's files after stopping it. */
  destroy(): void;
}

export type StopMode = "smart" | "fast" | "immediate";

export interface PgClusterOptions {
  /** Extra `postgresql.conf` lines (e.g. `recovery_min_apply_delay = '2s'`). */
  settings?: Record<string, string | number>;
  /** Make this cluster a streaming replica of `primary` (`pg_basebackup -R`). */
  replicaOf?: PgCluster;
}

export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Postgres server binaries not found: install postgresql (pg_config --bindir) or set PG_BINDIR");
  }
}

/** True when this machine can run `startPgCluster` (initdb and pg_ctl present). */
export function canStartPgCluster(): boolean {
  try {
    const bin = postgresBinDir();
    return existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "pg_ctl"));
  } catch {
    return false;
  }
}

const asRoot = process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** The command line for a Postgres binary, as the postgres user when this process is root. */
function command(bin: string, args: string[]): [string, string[]] {
  const file = path.join(postgresBinDir(), bin);
  return asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
}

function runAsync(bin: string, args: string[]): Promise<void> {
  const [file, argv] = command(bin, args);
  return new Promise((resolve, reject) => {
    execFile(file, argv, { encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${bin} ${args.join(" ")} failed (${String(error.code)}): ${stderr || stdout}`));
      else resolve();
    });
  });
}

function run(bin: string, args: string[]): void {
  const [file, argv] = command(bin, args);
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  // A 0755 parent: the postgres user must traverse it (mkdtemp makes 0700).
  const root = mkdtempSync(path.join(os.tmpdir(), "dc-pg-"));
  chmodSync(root, 0o755);
  const dataDir = path.join(root, "data");
  mkdirSync(dataDir, { mode: 0o700 });
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
    chownSync(dataDir, uid, gid);
  }
  const port = await findFreePort();

  if (options.replicaOf) {
    run("pg_basebackup", [
      "-h",
      "127.0.0.1",
      "-p",
      String(options.replicaOf.port),
      "-U",
      "postgres",
      "-D",
      dataDir,
      "-R",
      "-X",
      "stream",
      // An immediate checkpoint: the default "spread" one waits out most of checkpoint_timeout.
      "-c",
      "fast",
    ]);
  } else {
    run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--locale=C.UTF-8", "--encoding=UTF8", "-N"]);
  }

  const settings: Record<string, string | number> = {
    port,
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: "''",
    // fsync off is safe for what tests do (process crashes, not OS crashes); synchronous_commit
    // stays on, or an immediate stop would lose acknowledged commits.
    fsync: "off",
    full_page_writes: "off",
    wal_level: "replica",
    max_wal_senders: 5,
    hot_standby: "on",
    max_connections: 100,
    ...options.settings,
  };
  // Appended after whatever pg_basebackup copied, so the replica gets its own port.
  const conf = Object.entries(settings)
    .map(([key, value]) => `${key} = ${value}`)
    .join("\n");
  writeFileSync(path.join(dataDir, "postgresql.auto.conf"), `${readAuto(dataDir)}\n${conf}\n`);
  if (!options.replicaOf) {
    writeFileSync(
      path.join(dataDir, "pg_hba.conf"),
      "host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
    );
  }
  if (asRoot) {
    const { uid, gid } = postgresIds();
    for (const file of ["postgresql.auto.conf", "pg_hba.conf"]) chownSync(path.join(dataDir, file), uid, gid);
  }

  const logFile = path.join(root, "postgres.log");
  const pgCtlArgs = (args: string[]) => ["-D", dataDir, "-l", logFile, "-w", "-t", "120", ...args];
  let running = false;
  const killOnExit = () => {
    if (running) spawnSync(path.join(postgresBinDir(), "pg_ctl"), ["-D", dataDir, "stop", "-m", "immediate"]);
  };
  process.once("exit", killOnExit);

  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async start() {
      await runAsync("pg_ctl", pgCtlArgs(["start"]));
      running = true;
    },
    async stop(mode = "fast") {
      await runAsync("pg_ctl", pgCtlArgs(["stop", "-m", mode]));
      running = false;
    },
    async restart(mode = "fast") {
      await runAsync("pg_ctl", pgCtlArgs(["restart", "-m", mode]));
      running = true;
    },
    // Synchronous: it runs in teardown and on exit, where nothing else needs the event loop.
    destroy() {
      if (running) run("pg_ctl", pgCtlArgs(["stop", "-m", "immediate"]));
      running = false;
      process.removeListener("exit", killOnExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}

function readAuto(dataDir: string): string {
  const file = path.join(dataDir, "postgresql.auto.conf");
  return existsSync(file) ? readFileSync(file, "utf8") : "";
}
