import type { LiveBus, LiveMessage } from "./live-bus.ts";

/**
 * The process's live bus, installed by the server at start-up. Domain services publish through
 * `publishLive` from their `afterCommit` callbacks, so DomainDeps stays unchanged; with no bus
 * installed (the worker, scripts, unit tests) publishing is a no-op.
 */
let installed: LiveBus | undefined;

export function installLiveBus(bus: LiveBus): void {
  installed = bus;
}

export function uninstallLiveBus(bus: LiveBus): void {
  if (installed === bus) installed = undefined;
}

export function currentLiveBus(): LiveBus | undefined {
  return installed;
}

/**
 * Publishes a live event to every listener of `channel` on every server process. Call it AFTER
 * commit (`afterCommit(() => publishLive(...))`): listeners must never see a rolled-back change.
 * Never throws: live updates are best effort, the database stays the source of truth; a failure
 * is reported through the bus (logged and counted by the server).
 */
export async function publishLive(channel: string, event: LiveMessage): Promise<string | null> {
  const bus = installed;
  try {
    return (await bus?.publish(channel, event)) ?? null;
  } catch (error) {
    bus?.reportError("publish", error);
    return null;
  }
}
