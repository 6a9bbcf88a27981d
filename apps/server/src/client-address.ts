import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import proxyAddr from "@fastify/proxy-addr";

/** Which peers may tell us the client's address (X-Forwarded-For): none, addresses/CIDRs, or a hop count. */
export type TrustProxy = false | number | readonly string[];

export type TrustFn = (address: string, hop: number) => boolean;

/**
 * `TRUST_PROXY`: empty → trust nobody (the socket's peer is the client); a number → that many
 * proxy hops in front of us; else a comma list of addresses, CIDRs or proxy-addr's names
 * (`loopback`, `linklocal`, `uniquelocal`). Undefined when malformed.
 */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim();
  if (value === "" || value === "false") return false;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const items = value.split(",").map((s) => s.trim());
  const ok = items.every((item) => {
    if (["loopback", "linklocal", "uniquelocal"].includes(item)) return true;
    const [address, prefix, ...rest] = item.split("/");
    const family = isIP(address ?? "");
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
  });
  return ok ? items : undefined;
}

/** The trust function Fastify (`trustProxy`) and the WebSocket upgrade both use. */
export function trustFunction(trust: TrustProxy): TrustFn {
  if (trust === false) return () => false;
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/** The client's address of a raw request (the WebSocket upgrade, which Fastify does not see). */
export function clientAddressOf(req: IncomingMessage, trust: TrustFn): string | null {
  return req.socket.remoteAddress ? proxyAddr(req, trust) : null;
}
