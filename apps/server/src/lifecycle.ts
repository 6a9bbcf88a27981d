import type { Platform } from "./platform.ts";

/** SIGTERM/SIGINT: stop accepting work, finish what is in flight, then exit. */
export function closeOnSignals(platform: Platform, extra: () => Promise<void> = () => Promise.resolve()): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: shutting down gracefully\n`);
    try {
      await platform.close();
      await extra();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`shutdown failed: ${String(error)}\n`);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
