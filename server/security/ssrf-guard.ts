import ipaddr from "ipaddr.js";

/**
 * Which destinations a tenant-supplied URL may reach. Pure: no DNS. A name passes here on its
 * name alone; the address it resolves to is checked again when the socket connects (safe-http).
 */
export type DestinationVerdict = { allowed: true; url: URL; allowListed: boolean } | { allowed: false; reason: string };

// Only global unicast (2000::/3) is public; ipaddr.js calls all unassigned space "unicast", including
// the deprecated IPv4-compatible ::a.b.c.d, which must not slip through.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

// RFC 6761/6762/8375 names that are local by definition, whatever a resolver says about them.
const LOCAL_NAMES = ["localhost", "localdomain", "local", "internal", "home.arpa"];

const RANGE_WORDS: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (cloud metadata lives here)",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private network address",
  uniqueLocal: "a private network address",
  reserved: "a reserved or documentation address",
  benchmarking: "a benchmarking address",
  rfc6052: "a NAT64 address",
  "6to4": "a 6to4 relay address",
  teredo: "a Teredo tunnel address",
  rfc6145: "an IPv4-translated address",
};

/** Why `address` must not be contacted, or null when it is a public unicast address. */
function blockedRange(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  if (address.kind() === "ipv6") {
    const v6 = address as ipaddr.IPv6;
    // ::ffff:127.0.0.1 reaches 127.0.0.1: judge the IPv4 address inside.
    if (v6.isIPv4MappedAddress()) return blockedRange(v6.toIPv4Address());
    if (v6.zoneId !== undefined) return "a scoped (zone id) address";
    const range = v6.range();
    if (range !== "unicast") return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
    return v6.match(GLOBAL_UNICAST_V6) ? null : "an address outside global unicast space";
  }
  const range = (address as ipaddr.IPv4).range();
  return range === "unicast" ? null : (RANGE_WORDS[range] ?? `a special-purpose address (${range})`);
}

/** True only for public unicast addresses; anything unparseable counts as not public. */
export function isPublicAddress(address: string): boolean {
  try {
    return blockedRange(ipaddr.parse(address)) === null;
  } catch {
    return false;
  }
}

function isLocalName(name: string): boolean {
  return LOCAL_NAMES.some((local) => name === local || name.endsWith(`.${local}`));
}

/** A URL as given, or a bare host ("example.com", "10.0.0.1:8080", "::1") read as http://host/. */
function parseTarget(target: string): URL | null {
  const trimmed = target.trim();
  const isUrl = /^[a-z][a-z\d+.-]*:\/\//i.test(trimmed);
  const bareV6 = !isUrl && !trimmed.startsWith("[") && (trimmed.match(/:/g)?.length ?? 0) > 1;
  try {
    return new URL(isUrl ? trimmed : `http://${bareV6 ? `[${trimmed}]` : trimmed}/`);
  } catch {
    return null;
  }
}

/**
 * Classifies a URL or host name without any I/O. The WHATWG URL parser first reduces every
 * spelling of an address to one canonical form (2130706433, 0177.0.0.1, 0x7f.1, 127.1,
 * full-width digits and userinfo all become 127.0.0.1; [::ffff:127.0.0.1] becomes
 * [::ffff:7f00:1]), so only canonical forms are classified. `allowedHosts` holds the
 * operator's host:port exceptions (OUTBOUND_ALLOWED_HOSTS), compared with the URL's host.
 */
export function checkDestination(target: string, allowedHosts: readonly string[] = []): DestinationVerdict {
  const url = parseTarget(target);
  if (!url || !url.hostname) return { allowed: false, reason: "it is not a valid URL" };
  if (url.protocol !== "http:" && url.protocol !== "https:") return { allowed: false, reason: "only http and https URLs can be called" };
  if (allowedHosts.includes(url.host.toLowerCase())) return { allowed: true, url, allowListed: true };

  const host = url.hostname;
  const literal = host.startsWith("[") ? host.slice(1, -1) : ipaddr.IPv4.isValidFourPartDecimal(host) ? host : null;
  if (literal !== null) {
    let why: string | null;
    try {
      why = blockedRange(ipaddr.parse(literal));
    } catch {
      why = "an address that cannot be parsed";
    }
    return why ? { allowed: false, reason: `${host} is ${why}` } : { allowed: true, url, allowListed: false };
  }
  const name = host.replace(/\.+$/, "");
  if (name === "" || isLocalName(name)) return { allowed: false, reason: `${host} is a local host name` };
  return { allowed: true, url, allowListed: false };
}
