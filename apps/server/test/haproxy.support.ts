import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { findFreePort } from "@deltacrown/db/embedded";
import { trackOpen, waitFor } from "@deltacrown/test-harness";

/** Debian's haproxy (`.ci/run` installs it when missing); undefined when absent. */
export function haproxyBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((dir) => path.join(dir, "haproxy")).find((file) => existsSync(file));
}

export interface Haproxy {
  url: string;
  /** Each server's state as HAProxy sees it ("UP", "DOWN", "UP 1/2", …), from its CSV stats. */
  serverStates(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * A HAProxy in front of `servers` (name → port), configured like ops/haproxy/haproxy.cfg but with
 * fast health checks (/health/ready every 300 ms, 2 failures take a server out).
 */
export async function startHaproxy(servers: Record<string, number>): Promise<Haproxy> {
  const binary = haproxyBinary();
  if (!binary) throw new Error("haproxy not installed (apt-get install haproxy)");
  const [port, statsPort] = [await findFreePort(), await findFreePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), "dc-haproxy-"));
  const config = `global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    retries 3
    option redispatch
    retry-on conn-failure
frontend api
    bind 127.0.0.1:${port}
    option forwardfor
    default_backend deltacrown_api
backend deltacrown_api
    balance roundrobin
    option httpchk GET /health/ready
    http-check expect status 200
    default-server inter 300ms fall 2 rise 2
${Object.entries(servers)
  .map(([name, p]) => `    server ${name} 127.0.0.1:${p} check`)
  .join("\n")}
listen stats
    bind 127.0.0.1:${statsPort}
    stats enable
    stats uri /stats
`;
  const file = path.join(dir, "haproxy.cfg");
  writeFileSync(file, config);
  const child = spawn(binary, ["-db", "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const untrack = trackOpen("haproxy", async () => {
    child.kill("SIGKILL");
    await exited;
  });
  const states = async () => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const rows = csv.split("\n").map((line) => line.split(","));
    const header = rows[0]!.map((h) => h.replace(/^# /, ""));
    const [px, sv, status] = ["pxname", "svname", "status"].map((name) => header.indexOf(name));
    return Object.fromEntries(
      rows.filter((r) => r[px!] === "deltacrown_api" && (r[sv!] ?? "") in servers).map((r) => [r[sv!]!, r[status!]!]),
    );
  };
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`haproxy exited ${child.exitCode}: ${errors}`);
      return states().catch(() => undefined);
    },
    { timeoutMs: 30_000 },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    serverStates: states,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      untrack();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
