import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "@deltacrown/db/embedded";
import pg from "pg";

/** Debian's pgbouncer (`.ci/run` installs it when missing); undefined when absent. */
export function pgbouncerBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((dir) => path.join(dir, "pgbouncer")).find((file) => existsSync(file));
}

export interface PgBouncer {
  /** host:port of PgBouncer; swap it into a Postgres URL with `throughPgBouncer`. */
  hostPort: string;
  stop(): Promise<void>;
}

/**
 * A PgBouncer in transaction pooling mode in front of `postgresUrl`'s server: every database name
 * is forwarded (`* =`), any user is trusted (tests only). 1.18 has no prepared-statement support
 * in this mode, so clients must run with named prepared statements off.
 */
export async function startPgBouncer(postgresUrl: string): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error("pgbouncer not installed (apt-get install pgbouncer)");
  const target = new URL(postgresUrl);
  const port = await findFreePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "dc-pgbouncer-"));
  chmodSync(dir, 0o755);
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(
    ini,
    `[databases]
* = host=${target.hostname} port=${target.port || 5432} user=${decodeURIComponent(target.username) || "postgres"}${
      target.password ? ` password=${decodeURIComponent(target.password)}` : ""
    }

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(dir, "users.txt")}
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
max_db_connections = 40
server_reset_query =
admin_users = ${decodeURIComponent(target.username) || "postgres"}
ignore_startup_parameters = extra_float_digits,options
logfile = ${path.join(dir, "pgbouncer.log")}
`,
  );
  // Trust still looks the user up in the auth file.
  writeFileSync(path.join(dir, "users.txt"), `"${decodeURIComponent(target.username) || "postgres"}" ""\n`);
  // PgBouncer refuses to run as root: run it as the postgres user, as Debian's service does
  // (spawned with that uid directly: a runuser wrapper would not pass the stop signal on).
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()),
        gid: Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()),
      }
    : {};
  if (ids.uid !== undefined && ids.gid !== undefined) {
    for (const file of [dir, ini, path.join(dir, "users.txt")]) chownSync(file, ids.uid, ids.gid);
  }
  const child = spawn(binary, [ini], { stdio: ["ignore", "ignore", "pipe"], ...ids });
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`pgbouncer did not start: ${errors}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    hostPort: `127.0.0.1:${port}`,
    async stop() {
      // SIGTERM: immediate shutdown (SIGINT would wait for clients to leave).
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One of PgBouncer's admin views (`SHOW STATS`: per-database counters, proof that a database's
 * statements went through it; `SHOW POOLS`: client and server connections per pool). Simple
 * queries only, as its console wants; every value as text.
 */
export async function pgbouncerShow(
  hostPort: string,
  view: "STATS" | "POOLS",
  user = "postgres",
): Promise<Record<string, string>[]> {
  const client = new pg.Client({ connectionString: `postgres://${user}@${hostPort}/pgbouncer` });
  await client.connect();
  try {
    return (await client.query<Record<string, string>>(`SHOW ${view}`)).rows;
  } finally {
    await client.end();
  }
}

/** The same URL with PgBouncer's host and port. */
export function throughPgBouncer(url: string, hostPort: string): string {
  const parsed = new URL(url);
  parsed.host = hostPort;
  return parsed.toString();
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
