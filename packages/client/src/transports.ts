/**
 * WebSocket and EventSource classes for runtimes without them. The browser entry leaves these
 * unset (browsers have both); the Node entry (node.ts, picked by the package's `node` export
 * condition) fills them from `ws` and `eventsource` where Node lacks a global one (Node 20 has
 * neither, 22 has no EventSource), so subscriptions work without passing classes.
 */
export const transportDefaults: { WebSocket?: unknown; EventSource?: unknown } = {};
