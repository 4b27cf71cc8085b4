import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/server/outbox/backoff";
import { deliveryWorkerConfig } from "@/server/outbox/worker-config";

describe("retry backoff", () => {
  it("doubles from 1 s up to 5 minutes, jittered over the whole range, and waits at least the platform's Retry-After", () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 8, 9, 20].map((attempt) => retryDelayMs(attempt, undefined, top))).toEqual([1_000, 2_000, 4_000, 8_000, 128_000, 256_000, 300_000]);
    expect(retryDelayMs(3, undefined, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(0);
    expect(retryDelayMs(1, 30_000, top)).toBe(30_000);
    expect(retryDelayMs(4, 500, top)).toBe(8_000);
  });
});

describe("delivery worker settings", () => {
  it("run in the app by default every 500 ms, are left out with DELIVERY_WORKERS=off, and refuse malformed values", () => {
    expect(deliveryWorkerConfig({})).toEqual({ enabled: true, pollMs: 500 });
    expect(deliveryWorkerConfig({ DELIVERY_WORKERS: " OFF ", DELIVERY_POLL_MS: "250" })).toEqual({ enabled: false, pollMs: 250 });
    expect(deliveryWorkerConfig({ DELIVERY_WORKERS: "on", DELIVERY_POLL_MS: "" })).toEqual({ enabled: true, pollMs: 500 });
    expect(() => deliveryWorkerConfig({ DELIVERY_WORKERS: "no" })).toThrow('DELIVERY_WORKERS must be "on" or "off"; got "no"');
    expect(() => deliveryWorkerConfig({ DELIVERY_POLL_MS: "soon" })).toThrow('DELIVERY_POLL_MS must be a whole number of milliseconds, at least 10; got "soon"');
  });
});
