/* The Node entry (export condition `node`): the browser entry plus WebSocket/EventSource classes. */
import { EventSource } from "eventsource";
import { WebSocket } from "ws";
import { transportDefaults } from "./transports.ts";

transportDefaults.WebSocket = globalThis.WebSocket ?? WebSocket;
transportDefaults.EventSource = (globalThis as { EventSource?: unknown }).EventSource ?? EventSource;

export * from "./index.ts";
