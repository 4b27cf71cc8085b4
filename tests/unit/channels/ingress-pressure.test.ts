import { beforeEach, describe, expect, it } from "vitest";
import { ackPending, FLOOD_END_ARRIVALS, FLOOD_IN_FLIGHT, floodedWithWebhooks, noteArrivals, noteFinished, resetIngressPressure, WINDOW_MS } from "@/server/channels/ingress-pressure";

beforeEach(() => resetIngressPressure());

describe("webhook flood detection", () => {
  it("is no flood while a platform has a request or two open with us, as it does with users waiting for replies", () => {
    const t = 10_000;
    const done = [ackPending(t), ackPending(t)];
    expect(floodedWithWebhooks(t + WINDOW_MS)).toBe(false);
    done.forEach((end) => end(t + WINDOW_MS));
  });

  it("is a flood once, over the window, enough requests wait for their ack at once, and ends when they stop", () => {
    const t = 10_000;
    const open = Array.from({ length: FLOOD_IN_FLIGHT }, () => ackPending(t));
    expect(floodedWithWebhooks(t + WINDOW_MS)).toBe(true);
    open.forEach((end) => end(t + WINDOW_MS));
    // Ended requests still weigh on the window they were open in, then no more.
    expect(floodedWithWebhooks(t + WINDOW_MS + 1)).toBe(true);
    expect(floodedWithWebhooks(t + 3 * WINDOW_MS)).toBe(false);
  });

  it("is a flood while stored events outnumber finished turns by far, and not while turns keep pace", () => {
    const t = 50_000;
    noteArrivals(60, t);
    for (let i = 0; i < 10; i++) noteFinished(t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    for (let i = 0; i < 40; i++) noteFinished(t + 2);
    expect(floodedWithWebhooks(t + 3)).toBe(false);
    // A quiet channel is never a flood, however far behind its turns are.
    resetIngressPressure();
    noteArrivals(20, t);
    expect(floodedWithWebhooks(t + 1)).toBe(false);
    // The window moves on: old arrivals stop counting.
    noteArrivals(100, t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    expect(floodedWithWebhooks(t + 2 * WINDOW_MS)).toBe(false);
  });

  it("lasts through a lull while events still arrive faster than turns finish, and ends once they no longer do", () => {
    const t = 90_000;
    noteArrivals(100, t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    // A window later the acks have slowed for a moment: too few to start a flood, enough to keep one going.
    const later = t + WINDOW_MS + 10;
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    noteFinished(later);
    expect(floodedWithWebhooks(later + 1)).toBe(true);
    // The same lull without a flood before it is no flood.
    resetIngressPressure();
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    noteFinished(later);
    expect(floodedWithWebhooks(later + 1)).toBe(false);
    // Turns keeping pace end it.
    resetIngressPressure();
    noteArrivals(100, t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    for (let i = 0; i < FLOOD_END_ARRIVALS; i++) noteFinished(later);
    expect(floodedWithWebhooks(later + 1)).toBe(false);
  });
});
