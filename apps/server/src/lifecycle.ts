import type { Platform } from "./platform.ts";

export interface ShutdownReport {
  /** A signal arrived: the process stops taking work. */
  stopping(signal: NodeJS.Signals): void;
  /** Everything closed; the process exits 0 next. */
  stopped(): void;
  /** Closing failed; the process exits 1 next. */
  failed(error: unknown): void;
}

/**
 * SIGTERM/SIGINT: stop accepting work, finish the requests and jobs in flight, close the pools,
 * then `extra` (the embedded Postgres, last: nothing uses it any more), and exit 0. The process
 * handles its signals itself, so run it directly (`node apps/server/dist/main.js`): a package
 * manager in between may not forward them. A second signal while closing is ignored.
 */
export function closeOnSignals(
  platform: Platform,
  report: ShutdownReport,
  extra: () => Promise<void> = () => Promise.resolve(),
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    report.stopping(signal);
    try {
      await platform.close();
      await extra();
      report.stopped();
      process.exit(0);
    } catch (error) {
      report.failed(error);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
