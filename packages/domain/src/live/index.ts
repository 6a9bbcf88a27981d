export { LiveBus, type LiveBusOptions, type LiveEvent, type LiveMessage } from "./live-bus.ts";
export { liveChannels } from "./channels.ts";
export { compareEventIds, isEventId } from "./event-id.ts";
export { installLiveBus, uninstallLiveBus, currentLiveBus, publishLive } from "./registry.ts";
export * as liveStreams from "./subscriptions.ts";
