import { describe, expect, it } from "vitest";
import { checkDestination, isPublicAddress } from "@/server/security/ssrf-guard";

// Pure classification only: nothing here opens a connection or resolves a name.
const BLOCKED: [spelling: string, target: string][] = [
  ["dotted loopback", "http://127.0.0.1/"],
  ["loopback with port", "http://127.0.0.1:8080/v1"],
  ["other loopback host", "http://127.255.255.254/"],
  ["decimal", "http://2130706433/"],
  ["hex integer", "http://0x7f000001/"],
  ["octal", "http://0177.0.0.1/"],
  ["octal integer", "http://017700000001/"],
  ["hex short form", "http://0x7f.1/"],
  ["short form", "http://127.1/"],
  ["zero-padded", "http://127.000.000.001/"],
  ["trailing dot", "http://127.0.0.1./"],
  ["userinfo", "http://evil@127.0.0.1/"],
  ["userinfo with password", "http://user:pass@127.0.0.1:9000/"],
  ["full-width digits", "http://１２７.０.０.１/"],
  ["ideographic dots", "http://127。0。0。1/"],
  ["percent-encoded host", "http://%31%32%37.0.0.1/"],
  ["IPv4-mapped IPv6", "http://[::ffff:127.0.0.1]:8080/"],
  ["IPv4-mapped IPv6, hex", "http://[::ffff:7f00:1]/"],
  ["IPv4-mapped IPv6, long form", "http://[0:0:0:0:0:ffff:127.0.0.1]/"],
  ["IPv4-mapped IPv6, upper case", "http://[::FFFF:7F00:1]/"],
  ["IPv4-mapped metadata address", "http://[::ffff:169.254.169.254]/latest/meta-data/"],
  ["IPv4-compatible IPv6", "http://[::127.0.0.1]/"],
  ["IPv4-translated IPv6", "http://[::ffff:0:7f00:1]/"],
  ["IPv6 loopback", "http://[::1]/"],
  ["IPv6 loopback, long form", "http://[0:0:0:0:0:0:0:1]/"],
  ["IPv6 unspecified", "http://[::]/"],
  ["unspecified IPv4", "http://0.0.0.0/"],
  ["bare zero", "http://0/"],
  ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
  ["private 10/8", "http://10.0.0.5/"],
  ["private 172.16/12", "http://172.31.255.1/"],
  ["private 192.168/16", "https://192.168.1.1/admin"],
  ["CGNAT", "http://100.64.0.1/"],
  ["IETF protocol assignments", "http://192.0.0.8/"],
  ["documentation TEST-NET-1", "http://192.0.2.10/"],
  ["benchmarking", "http://198.18.0.1/"],
  ["multicast", "http://224.0.0.1/"],
  ["reserved class E", "http://240.0.0.1/"],
  ["broadcast", "http://255.255.255.255/"],
  ["IPv6 link-local", "http://[fe80::1]/"],
  ["IPv6 link-local with zone id", "http://[fe80::1%25eth0]/"],
  ["IPv6 unique local", "http://[fd00::1]/"],
  ["IPv6 multicast", "http://[ff02::1]/"],
  ["NAT64 embedding loopback", "http://[64:ff9b::127.0.0.1]/"],
  ["NAT64 local-use prefix", "http://[64:ff9b:1::a00:1]/"],
  ["6to4 embedding loopback", "http://[2002:7f00:1::]/"],
  ["Teredo", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"],
  ["IPv6 documentation", "http://[2001:db8::1]/"],
  ["IPv6 benchmarking", "http://[2001:2::1]/"],
  ["IPv6 discard-only", "http://[100::1]/"],
  ["IPv6 outside global unicast", "http://[4000::1]/"],
  ["localhost", "http://localhost:3000/"],
  ["localhost, upper case", "http://LOCALHOST/"],
  ["localhost, trailing dot", "http://localhost./"],
  ["subdomain of localhost", "http://api.localhost/"],
  ["mDNS name", "http://printer.local/"],
  ["internal name", "http://metadata.google.internal/computeMetadata/v1/"],
  ["bare host, not a URL", "127.0.0.1"],
  ["bare host with port", "localhost:6379"],
  ["bare IPv6 host", "::ffff:127.0.0.1"],
  ["not http", "file:///etc/passwd"],
  ["gopher", "gopher://127.0.0.1:6379/_INFO"],
  ["not a URL", "http://"],
];

const ALLOWED: [what: string, target: string][] = [
  ["public IPv4", "http://93.184.216.34/"],
  ["public IPv4, bare", "93.184.216.34"],
  ["public IPv4 as decimal", "http://1572395042/"],
  ["public IPv6", "https://[2606:4700::1111]/"],
  ["public IPv6, bare", "2606:4700::1111"],
  ["public IPv4-mapped IPv6", "http://[::ffff:93.184.216.34]/"],
  ["public name", "https://api.openai.com/v1"],
  ["public name with placeholder path", "https://api.acme.example/orders/{order_number}"],
  ["name that merely contains localhost", "https://localhost.example.com/"],
  ["just outside 172.16/12", "http://172.32.0.1/"],
];

describe("SSRF guard classification (pure, no I/O)", () => {
  it("has a table of at least 40 blocked encodings and some public destinations", () => {
    expect(BLOCKED.length).toBeGreaterThanOrEqual(40);
    expect(ALLOWED.length).toBeGreaterThanOrEqual(5);
  });

  it.each(BLOCKED)("blocks %s: %s", (_spelling, target) => {
    const verdict = checkDestination(target);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason).not.toBe("");
  });

  it.each(ALLOWED)("lets %s through: %s", (_what, target) => {
    expect(checkDestination(target)).toMatchObject({ allowed: true, allowListed: false });
  });

  it("lets an operator-allowed host:port through, and only with that exact port", () => {
    expect(checkDestination("http://localhost:3000/api/demo", ["localhost:3000"])).toMatchObject({ allowed: true, allowListed: true });
    expect(checkDestination("http://127.0.0.1:3000/", ["127.0.0.1:3000"])).toMatchObject({ allowed: true, allowListed: true });
    expect(checkDestination("http://localhost:3001/", ["localhost:3000"]).allowed).toBe(false);
    // Another spelling of an allowed address is a different host string, so it is not an exception.
    expect(checkDestination("http://[::ffff:127.0.0.1]:3000/", ["127.0.0.1:3000"]).allowed).toBe(false);
  });

  it("says why in words a tenant can act on", () => {
    expect(checkDestination("http://[::ffff:127.0.0.1]/")).toEqual({ allowed: false, reason: "[::ffff:7f00:1] is a loopback address" });
    expect(checkDestination("http://169.254.169.254/")).toMatchObject({ reason: expect.stringContaining("link-local") });
    expect(checkDestination("ftp://example.com/")).toMatchObject({ reason: "only http and https URLs can be called" });
  });

  it("classifies the addresses DNS answers with, as the connect-time check sees them", () => {
    for (const address of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "10.1.2.3", "169.254.169.254", "fe80::1%eth0", "fd12::1", "64:ff9b::a00:1", "2002:a00:1::1", "::7f00:1", "not-an-ip", ""]) {
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:93.184.216.34"]) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
  });
});
