import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs, rmSync } from "node:fs";
import os from "node:os";
import { findFreePort } from "@deltacrown/db/embedded";

export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/**
 * A throwaway `redis-server` on a free loopback port, without persistence. It is killed on stop and,
 * synchronously, when this process exits, so an aborted run leaves no server behind.
 * `pidFile` records its pid so a run killed with SIGKILL can be cleaned up by the next one.
 */
export async function spawnRedisServer(pidFile: string): Promise<LocalRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(await findFreePort(), pidFile);
    } catch (error) {
      // Retry only a lost race for the port; anything else (missing binary, bad flags) is final.
      if (attempt >= 3 || !/Address already in use/i.test(String(error))) throw error;
    }
  }
}

async function spawnOnce(port: number, pidFile: string): Promise<LocalRedis> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", [...args, "--dir", os.tmpdir()], { stdio: ["ignore", "pipe", "pipe"] });
  const killOnExit = () => {
    child.kill("SIGKILL");
    rmSync(pidFile, { force: true });
  };
  process.once("exit", killOnExit);

  let output = "";
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString("utf8")).slice(-3000);
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited early (code ${code}, signal ${signal})`));
      });
    });
  } catch (error) {
    await stopChild(child);
    process.removeListener("exit", killOnExit);
    const detail = (error as NodeJS.ErrnoException).code === "ENOENT" ? "redis-server is not on PATH" : String(error);
    throw new Error(output ? `${detail}\n--- redis-server output (tail) ---\n${output}` : detail);
  }
  // Drain output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  await fs.writeFile(pidFile, String(child.pid));

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    async stop() {
      await stopChild(child);
      process.removeListener("exit", killOnExit);
      await fs.rm(pidFile, { force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
