import { beforeEach, describe, expect, it } from "vitest";
import { ackPending, BACKLOG_WAIT_MS, FLOOD_END_ARRIVALS, FLOOD_IN_FLIGHT, FLOOD_MIN_ARRIVALS, floodedWithWebhooks, noteArrivals, noteClaimWaits, resetIngressPressure, WINDOW_MS } from "@/server/channels/ingress-pressure";

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

  it("is a flood while stored events pile up, so even the freshest claim waited, and not while events are claimed as they arrive", () => {
    const t = 50_000;
    noteArrivals(60, t);
    // A user's later messages wait behind their earlier ones by design: the fresh claim beside them says there is no backlog.
    noteClaimWaits([5, BACKLOG_WAIT_MS * 3, BACKLOG_WAIT_MS * 2], t);
    expect(floodedWithWebhooks(t + 1)).toBe(false);
    resetIngressPressure();
    noteArrivals(60, t);
    noteClaimWaits([BACKLOG_WAIT_MS + 20, BACKLOG_WAIT_MS * 4], t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    // A quiet channel is never a flood, however long its events waited.
    resetIngressPressure();
    noteArrivals(20, t);
    noteClaimWaits([BACKLOG_WAIT_MS * 10], t);
    expect(floodedWithWebhooks(t + 1)).toBe(false);
    // Retried or held-back events (null) say nothing of the queue; with no other claim, nothing starts.
    resetIngressPressure();
    noteArrivals(100, t);
    noteClaimWaits([null, null], t);
    expect(floodedWithWebhooks(t + 1)).toBe(false);
    // The window moves on: old arrivals and waits stop counting.
    noteClaimWaits([BACKLOG_WAIT_MS * 2], t);
    expect(floodedWithWebhooks(t + 1)).toBe(true);
    expect(floodedWithWebhooks(t + 2 * WINDOW_MS)).toBe(false);
  });

  it("lasts through a lull while the backlog stays, and ends once events are claimed fresh again, whichever process's lane claimed them", () => {
    const t = 90_000;
    const flood = () => {
      resetIngressPressure();
      noteArrivals(100, t);
      noteClaimWaits([BACKLOG_WAIT_MS * 2], t);
      expect(floodedWithWebhooks(t + 1)).toBe(true);
    };
    const later = t + WINDOW_MS + 10;
    // A window later the acks have slowed for a moment: too few arrivals to start a flood, enough to keep one going.
    flood();
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    noteClaimWaits([BACKLOG_WAIT_MS * 3], later);
    expect(floodedWithWebhooks(later + 1)).toBe(true);
    // The one turn a flooded lane runs may take longer than a window: no claim is no news, the flood goes on.
    flood();
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    expect(floodedWithWebhooks(later + 1)).toBe(true);
    // The same lull without a flood before it is no flood.
    resetIngressPressure();
    noteArrivals(FLOOD_END_ARRIVALS + 5, later);
    noteClaimWaits([BACKLOG_WAIT_MS * 3], later);
    expect(floodedWithWebhooks(later + 1)).toBe(false);
    // This process stepped back and finishes one turn at a time while another process's full lane keeps the
    // queue short: its own claims come fresh, so it ends, however many more events arrive here than it runs.
    flood();
    noteArrivals(FLOOD_MIN_ARRIVALS * 2, later);
    noteClaimWaits([4], later);
    expect(floodedWithWebhooks(later + 1)).toBe(false);
    // Events no longer arriving end it too, backlog or not: the lane drains it at full width.
    flood();
    noteArrivals(FLOOD_END_ARRIVALS - 1, later);
    noteClaimWaits([BACKLOG_WAIT_MS * 3], later);
    expect(floodedWithWebhooks(later + 1)).toBe(false);
  });
});
