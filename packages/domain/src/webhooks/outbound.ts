import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Where the platform may send webhooks. Outside development only https; never to loopback,
 * link-local (cloud metadata 169.254.169.254 included), private (RFC 1918, CGNAT, ULA — which
 * holds fd00:ec2::254), unspecified, multicast, reserved or documentation addresses — checked on
 * the addresses a host name RESOLVES to, and the connection goes to exactly the address checked
 * (no second lookup an attacker's DNS could answer differently). Redirects are never followed: a
 * 3xx answer is a failed delivery, so no hop can lead elsewhere.
 */
export interface OutboundPolicy {
  /** Allow http: (development, tests); otherwise https only. */
  allowHttp: boolean;
  /** Addresses or CIDRs exempt from the refusal (a local receiver in development or tests). */
  allowAddresses: readonly string[];
  /** Stop reading a response past this many bytes. */
  maxResponseBytes: number;
  /** Give up on a delivery (connect, send, answer) after this long. */
  timeoutMs: number;
  /** Resolves a host name (default: the system resolver); tests map names to local addresses. */
  resolve?: ((hostname: string) => Promise<ResolvedAddress[]>) | undefined;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export const defaultOutboundPolicy: OutboundPolicy = {
  allowHttp: false,
  allowAddresses: [],
  maxResponseBytes: 16 * 1024,
  timeoutMs: 10_000,
};

/** An outbound request refused by the policy (never sent). */
export class OutboundRefused extends Error {
  override readonly name = "OutboundRefused";
}

const FORBIDDEN_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
const FORBIDDEN_V6: [string, number][] = [
  ["::", 128], // unspecified
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4 (embeds any IPv4)
  ["fc00::", 7], // unique local, fd00:ec2::254 (AWS metadata) included
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
];

// No ::ffff:0:0/96 rule: Node's BlockList matches IPv6 rules against IPv4 addresses as mapped ones,
// so it would refuse every IPv4 address. Mapped addresses are unwrapped and checked as IPv4 instead.
const forbidden = new BlockList();
for (const [net, bits] of FORBIDDEN_V4) forbidden.addSubnet(net, bits, "ipv4");
for (const [net, bits] of FORBIDDEN_V6) forbidden.addSubnet(net, bits, "ipv6");

function allowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** IPv4 inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:xxxx), else undefined. */
function mappedV4(address: string): string | undefined {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether the policy refuses to connect to this IP address. */
export function isForbiddenAddress(address: string, policy: Pick<OutboundPolicy, "allowAddresses">): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const v4 = family === 6 ? mappedV4(address.toLowerCase()) : address;
  const [checked, type] = v4 ? [v4, "ipv4" as const] : [address, "ipv6" as const];
  if (policy.allowAddresses.length > 0 && allowList(policy.allowAddresses).check(checked, type)) return false;
  return forbidden.check(checked, type);
}

/** Why a URL may never be a webhook target (checked without DNS), or undefined when it may. */
export function refusedUrl(
  raw: string,
  policy: Pick<OutboundPolicy, "allowHttp" | "allowAddresses">,
): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:" && !(policy.allowHttp && url.protocol === "http:")) return "must be an https: URL";
  if (url.username || url.password) return "must not carry credentials";
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (isIP(host))
    return isForbiddenAddress(host, policy) ? "must not point at a private or reserved address" : undefined;
  if (host === "localhost" || host.endsWith(".localhost") || !host.includes(".")) return "must name a public host";
  return undefined;
}

/** A lookup for node:http that hands the socket only addresses the policy allows. */
function checkedLookup(policy: OutboundPolicy): LookupFunction {
  const resolve = policy.resolve ?? ((hostname: string) => dnsLookup(hostname, { all: true, verbatim: true }));
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = found.filter((a) => !options.family || a.family === options.family);
        const bad = addresses.find((a) => isForbiddenAddress(a.address, policy));
        if (addresses.length === 0)
          return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: "ENOTFOUND" }), "", 0);
        // One forbidden answer refuses the host: a name mixing public and private addresses is an attack.
        if (bad)
          return callback(new OutboundRefused(`${hostname} resolves to a forbidden address (${bad.address})`), "", 0);
        if (options.all) return (callback as (e: null, a: ResolvedAddress[]) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

export interface OutboundResponse {
  status: number;
  /** The first `maxResponseBytes` of the body, as text. */
  body: string;
  /** The body was longer and was cut off (reading stopped). */
  truncated: boolean;
}

/**
 * POSTs `body` under the policy: the URL checked, the host's addresses checked after resolution,
 * the connection made to a checked address, no redirect followed, the answer read up to
 * `maxResponseBytes`, and everything over within `timeoutMs`. Rejects with OutboundRefused when
 * the policy forbids the target (nothing was sent), or with the network error.
 */
export function postOutbound(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  const refused = refusedUrl(rawUrl, policy);
  if (refused) return Promise.reject(new OutboundRefused(`webhook URL ${refused}`));
  const url = new URL(rawUrl);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      lookup: checkedLookup(policy),
      agent: false, // a fresh connection: no pooled socket to an address checked for another host
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`no complete answer within ${policy.timeoutMs} ms`)),
      policy.timeoutMs,
    );
    request.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), truncated });
      };
      response.on("data", (chunk: Buffer) => {
        if (truncated) return;
        const room = policy.maxResponseBytes - size;
        if (chunk.length >= room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          // Stop reading: the rest of the body is never downloaded.
          response.destroy();
          finish();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      response.once("end", finish);
      response.once("error", (error) => {
        if (!truncated) {
          clearTimeout(timer);
          reject(error);
        }
      });
    });
    request.end(body);
  });
}

/** "10.0.0.5, 127.0.0.1/32, fd00::/8" → entries; undefined when one is not an address or CIDR. */
export function parseAddressList(text: string): string[] | undefined {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = items.every((item) => {
    const [address = "", bits, ...rest] = item.split("/");
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  return valid ? items : undefined;
}
