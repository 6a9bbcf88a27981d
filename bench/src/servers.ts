import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { repoRoot } from "./dataset.ts";
import type { ServeMode } from "./serve.ts";

export interface ServerUnderTest {
  url: string;
  stop(): Promise<void>;
}

/** Starts serve.ts in a child process (tsx) and waits for its READY line. */
export async function startServer(mode: ServeMode, databaseUrl: string, teams: number): Promise<ServerUnderTest> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      path.join(repoRoot, "bench/src/serve.ts"),
      mode,
      databaseUrl,
      String(teams),
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"], env: process.env },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    // Generous: on a shared, loaded machine tsx alone can take a minute to load the server.
    const timer = setTimeout(() => reject(new Error(`${mode} server did not start in 180 s`)), 180_000);
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) {
        clearTimeout(timer);
        resolve(line.slice(6).trim());
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${mode} server exited with ${code}`));
    });
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
