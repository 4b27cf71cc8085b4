// Plain JS so the production server (scripts/next-worker.mjs) and the app share one implementation.
import ipaddr from "ipaddr.js";

/** The header the production server sets to the resolved client address; any copy a client sends is dropped. */
export const CLIENT_ADDRESS_HEADER = "x-chatbot-client-address";

function normalize(raw) {
  const text = String(raw ?? "").trim().replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(text)) return null;
  const parsed = ipaddr.parse(text);
  return parsed.kind() === "ipv6" && parsed.isIPv4MappedAddress() ? parsed.toIPv4Address() : parsed;
}

/**
 * Parses TRUSTED_PROXIES: empty or "0" trusts no proxy header; a number N trusts the N nearest hops of
 * X-Forwarded-For; otherwise a comma-separated list of addresses or CIDRs whose hops are trusted.
 */
export function parseTrustedProxies(setting) {
  const text = String(setting ?? "").trim();
  if (text === "" || text === "0") return { hops: 0 };
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const ranges = text.split(",").map((entry) => {
    const item = entry.trim();
    if (!item) throw new Error("TRUSTED_PROXIES has an empty entry");
    try {
      return item.includes("/") ? ipaddr.parseCIDR(item) : ((a) => [a, a.kind() === "ipv4" ? 32 : 128])(ipaddr.parse(item));
    } catch {
      throw new Error(`TRUSTED_PROXIES entry "${item}" is not an IP address or CIDR range`);
    }
  });
  return { ranges };
}

function inRanges(address, ranges) {
  return ranges.some(([base, bits]) => base.kind() === address.kind() && address.match(base, bits));
}

/**
 * The client's address: the socket's peer unless it is a trusted proxy, then walking X-Forwarded-For from
 * the right (the entries our own proxies appended) past trusted hops. Entries left of the first untrusted
 * hop are client-written and never believed. Null when the socket address is unknown.
 */
export function resolveClientAddress(socketAddress, forwardedFor, trust) {
  const peer = normalize(socketAddress);
  if (!peer) return null;
  const chain = String(forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let client = peer;
  if (trust.hops !== undefined) {
    for (let hop = 0; hop < trust.hops && chain.length > 0; hop++) {
      const next = normalize(chain.pop());
      if (!next) break;
      client = next;
    }
    return client.toString();
  }
  while (inRanges(client, trust.ranges) && chain.length > 0) {
    const next = normalize(chain.pop());
    if (!next) break;
    client = next;
  }
  return client.toString();
}
