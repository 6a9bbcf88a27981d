import type { Metrics } from "./metrics.ts";

type Recorder = (metrics: Metrics, output: unknown) => void;

/**
 * Business counters, counted where the procedure that makes the thing succeeds (its output is
 * what was committed): one line per counted procedure.
 */
const recorders: Readonly<Record<string, Recorder>> = {
  "teams.create": (m) => m.teamsCreated.inc(),
  "registrations.register": (m, output) => m.registrations.inc({ status: (output as { status: string }).status }),
  "wallets.transfer": (m, output) => {
    if (!(output as { replayed: boolean }).replayed) m.walletTransfers.inc();
  },
};

export function recordBusinessEvent(metrics: Metrics, path: string, output: unknown): void {
  recorders[path]?.(metrics, output);
}
