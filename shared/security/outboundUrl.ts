// Where Jobflow may send an outbound webhook (a job's notify.webhook, a lease's callbackUrl): https to a public
// address only. Refused: loopback, private (RFC 1918, RFC 4193), link-local, CGNAT, multicast/reserved, cloud
// metadata (169.254.169.254, fd00:ec2::254), the app's own host, URLs with credentials. An explicit allow-list
// (JOBFLOW_WEBHOOK_ALLOW_HOSTS: host or host:port) lets local test receivers on 127.0.0.1 through, over http too;
// metadata and the app's own host stay refused even when listed. Checked at validation on the URL and again at
// delivery on every address the name resolves to (functions/policies/outboundPost.ts). Pure.

/** 4 or 6 for an IP literal, 0 otherwise (node:net's isIP, without a Node built-in: orchestrations import this). */
export function isIP(text: string): 0 | 4 | 6 {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return text.split(".").every((p) => Number(p) <= 255) ? 4 : 0;
  const bare = text.replace(/%.*$/, "");
  if ((bare.match(/:/g) ?? []).length >= 2 && /^[0-9a-f:.]+$/i.test(bare) && (bare.match(/::/g) ?? []).length <= 1) return 6;
  return 0;
}

export interface OutboundPolicy {
  /** host or host:port entries (lower case) that may be targeted although not public, http allowed. */
  allowHosts: readonly string[];
  /** The app's own host names (host or host:port), e.g. WEBSITE_HOSTNAME: never a target. */
  ownHosts: readonly string[];
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowHosts: [], ownHosts: [] };

const METADATA_HOSTS = new Set(["169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "metadata", "instance-data"]);

function v4Parts(ip: string): number[] {
  return ip.split(".").map(Number);
}

/** Why an IPv4 address is not a public target, or undefined. */
function v4Refusal(ip: string): string | undefined {
  const [a, b, c] = v4Parts(ip);
  if (ip === "169.254.169.254") return "a cloud metadata address";
  if (a === 127) return "a loopback address";
  if (a === 0) return "an unspecified address";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "a private (RFC 1918) address";
  if (a === 169 && b === 254) return "a link-local address";
  if (a === 100 && b >= 64 && b <= 127) return "a shared (CGNAT) address";
  if (a === 192 && b === 0 && c === 0) return "a reserved address";
  if (a === 198 && (b === 18 || b === 19)) return "a benchmarking address";
  if (a >= 224) return "a multicast or reserved address";
  return undefined;
}

/** The 8 groups of an IPv6 address as numbers (handles :: and an embedded IPv4 tail). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().replace(/%.*$/, "");
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4Parts(v4[1]);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill("0");
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** Why an IPv6 address is not a public target, or undefined. */
function v6Refusal(ip: string): string | undefined {
  const g = v6Groups(ip);
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return "not a valid address";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] <= 1) return g[7] === 1 ? "a loopback address" : "an unspecified address";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible and NAT64 (64:ff9b::/96): judge the embedded IPv4 address.
  const embedded = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return v4Refusal(embedded);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Refusal(embedded);
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && g.slice(2, 7).every((x) => x === 0) && g[7] === 0x254) return "a cloud metadata address";
  if ((g[0] & 0xfe00) === 0xfc00) return "a private (RFC 4193) address";
  if ((g[0] & 0xffc0) === 0xfe80) return "a link-local address";
  if ((g[0] & 0xff00) === 0xff00) return "a multicast address";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "a documentation address";
  return undefined;
}

/** Why a resolved IP address is not a public target, or undefined for a public one. */
export function addressRefusal(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return v4Refusal(ip);
  if (family === 6) return v6Refusal(ip);
  return "not an IP address";
}

/** URL.hostname without IPv6 brackets, lower case. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

/** An allow-list entry as [host, port?]: "host", "host:port", "[v6]" or "[v6]:port"; a bare IPv6 has no port. */
function parseEntry(entry: string): [string, string | undefined] {
  const e = entry.trim().toLowerCase();
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(e);
  if (v6) return [v6[1], v6[2]];
  const hostPort = /^([^:]+):(\d{1,5})$/.exec(e);
  if (hostPort) return [hostPort[1], hostPort[2]];
  return [e, undefined];
}

function listed(list: readonly string[], host: string, port: string): boolean {
  return list.some((entry) => {
    const [h, p] = parseEntry(entry);
    return h === host && (p === undefined || p === port);
  });
}

/** True when host:port is on the allow-list (the delivery check lets its addresses through). */
export function isAllowListed(url: URL, policy: OutboundPolicy): boolean {
  return listed(policy.allowHosts, bareHost(url), defaultPort(url));
}

/**
 * Why `value` may not be an outbound webhook target, or undefined when it may (its name still has to resolve to
 * public addresses at delivery time).
 */
export function outboundUrlRefusal(value: string, policy: OutboundPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  const host = bareHost(url);
  const port = defaultPort(url);
  if (METADATA_HOSTS.has(host)) return "must not point at a cloud metadata endpoint";
  if (listed(policy.ownHosts, host, port)) return "must not point at Jobflow itself";
  if (listed(policy.allowHosts, host, port)) return undefined;
  if (url.protocol !== "https:") return "must be https";
  if (host === "localhost" || host.endsWith(".localhost")) return "must be a public host, not localhost";
  if (host.endsWith(".internal") || host.endsWith(".local")) return "must be a public host, not an internal name";
  if (isIP(host)) {
    const why = addressRefusal(host);
    if (why) return `must be a public address, not ${why}`;
  }
  return undefined;
}
