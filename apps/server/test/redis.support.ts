import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A free loopback port (nothing listens on it once this returns). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/**
 * Starts redis-server on `port`; resolves true once it says it is ready, false if it exited (the
 * port was taken meanwhile). Readiness comes from its own output: probing the port by binding it
 * could hold the port at the very moment redis-server binds, and make it exit.
 */
function startOn(port: number): { child: ChildProcess; ready: Promise<boolean> } {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const ready = new Promise<boolean>((resolve) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("Ready to accept connections")) {
        out = "";
        resolve(true);
      }
    });
    child.once("exit", () => resolve(false));
  });
  return { child, ready };
}

/** A private redis-server this test may kill (the harness's shared one must stay up). */
export async function privateRedis(): Promise<{ url: string; kill(): Promise<void> }> {
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    const started = startOn(port);
    if (await started.ready) child = started.child;
    else if (attempt === 5) throw new Error("redis-server did not start on a free port in 5 attempts");
  }
  const server = child;
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async kill() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill("SIGKILL");
      await once(server, "exit");
    },
  };
}
