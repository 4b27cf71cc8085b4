import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";

const inbox = vi.fn<() => Promise<number>>();
const outbox = vi.fn<() => Promise<number>>();
vi.mock("@/server/channels/inbox-processor", () => ({ processInboxBatch: () => inbox() }));
vi.mock("@/server/outbox/deliver", () => ({ deliverOutboxBatch: () => outbox() }));

const { startDeliveryWorkers } = await import("@/server/outbox/worker");
const { wakeDeliveryWorkers } = await import("@/server/outbox/wake");

const start = () => startDeliveryWorkers({ db: {} as Db, depsFor: () => ({ db: {} as Db }), pollMs: 1_000 });

beforeEach(() => {
  vi.useFakeTimers();
  inbox.mockReset().mockResolvedValue(0);
  outbox.mockReset().mockResolvedValue(0);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the delivery worker loop", () => {
  it("goes again at once while a lane finds work, then waits for a wake-up or the poll", async () => {
    outbox.mockResolvedValueOnce(3).mockResolvedValueOnce(1);
    const workers = start();
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox).toHaveBeenCalledTimes(3);
    expect(inbox).toHaveBeenCalledTimes(1);

    wakeDeliveryWorkers();
    await vi.advanceTimersByTimeAsync(0);
    expect([inbox.mock.calls.length, outbox.mock.calls.length]).toEqual([2, 4]);

    await vi.advanceTimersByTimeAsync(999);
    expect(outbox).toHaveBeenCalledTimes(4);
    await vi.advanceTimersByTimeAsync(1);
    expect([inbox.mock.calls.length, outbox.mock.calls.length]).toEqual([3, 5]);
    await workers.stop();
  });

  it("logs a failing lane once, keeps polling it without crashing, and says when it works again", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const infos = vi.spyOn(console, "info").mockImplementation(() => {});
    outbox.mockRejectedValueOnce(new Error("connection refused")).mockRejectedValueOnce(new Error("connection refused"));
    const workers = start();
    await vi.advanceTimersByTimeAsync(0);
    // A wake-up does not turn a failing lane into a busy loop: it waits for the poll.
    wakeDeliveryWorkers();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(outbox.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(errors.mock.calls.map((c) => c[0])).toEqual(["[delivery] outbox failed; trying again every 1000 ms"]);
    expect(infos.mock.calls.map((c) => c[0])).toEqual(["[delivery] outbox works again"]);
    await workers.stop();
  });

  it("stop() waits for the running batch and starts no other", async () => {
    let finish!: (n: number) => void;
    outbox.mockImplementationOnce(() => new Promise<number>((resolve) => (finish = resolve)));
    const workers = start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = workers.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stopped).toBe(false);
    finish(1);
    await stopping;
    expect(outbox).toHaveBeenCalledTimes(1);
  });
});
