import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "@/server/http/client-address.mjs";

const none = parseTrustedProxies("");

describe("client address behind TRUSTED_PROXIES", () => {
  it("ignores X-Forwarded-For entirely when no proxy is trusted: rotating it does not change the address", () => {
    const seen = new Set(Array.from({ length: 25 }, (_, i) => resolveClientAddress("203.0.113.9", `10.0.0.${i}`, none)));
    expect([...seen]).toEqual(["203.0.113.9"]);
  });

  it("unwraps IPv4-mapped socket addresses so one client has one bucket", () => {
    expect(resolveClientAddress("::ffff:127.0.0.1", undefined, none)).toBe("127.0.0.1");
  });

  it("trusts exactly N hops: the client-written left part of the chain is never believed", () => {
    const oneHop = parseTrustedProxies("1");
    // The proxy appended the real client (198.51.100.7); the client itself wrote 1.2.3.4.
    expect(resolveClientAddress("10.0.0.2", "1.2.3.4, 198.51.100.7", oneHop)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.0.0.2", "9.9.9.9, 1.2.3.4, 198.51.100.7", oneHop)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.0.0.2", "", oneHop)).toBe("10.0.0.2");
  });

  it("walks past trusted CIDRs from the right and stops at the first untrusted hop", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 192.168.1.1");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.168.1.1", trust)).toBe("198.51.100.7");
    // A direct client outside the trusted ranges cannot claim another address.
    expect(resolveClientAddress("198.51.100.8", "1.2.3.4", trust)).toBe("198.51.100.8");
    // A garbage hop ends the walk at the last address a trusted proxy vouched for.
    expect(resolveClientAddress("10.1.2.3", "not-an-ip", trust)).toBe("10.1.2.3");
  });

  it("refuses a malformed TRUSTED_PROXIES setting with the entry named", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, banana")).toThrow(/"banana"/);
  });

  it("has no address when the socket has none", () => {
    expect(resolveClientAddress(undefined, "1.2.3.4", parseTrustedProxies("1"))).toBeNull();
  });
});
