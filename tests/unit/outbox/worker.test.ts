import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runLane, type Lane } from "@/server/outbox/worker";

/** A lane over a queue of due items whose runs finish when the test says so. */
function fakeLane(concurrency: number) {
  const due: string[] = [];
  const claims: number[] = [];
  const running = new Map<string, () => void>();
  let failClaims = 0;
  const lane: Lane<string> = {
    name: "outbox",
    concurrency,
    idOf: (item) => item,
    claim: async (_now, limit, inFlight) => {
      claims.push(limit);
      expect(inFlight).toEqual([...running.keys()]);
      if (failClaims > 0) {
        failClaims--;
        throw new Error("connection refused");
      }
      return due.splice(0, limit);
    },
    run: (item) => new Promise<void>((resolve) => running.set(item, resolve)),
  };
  const finish = (item: string) => {
    running.get(item)!();
    running.delete(item);
  };
  return { lane, due, claims, running, finish, failNextClaims: (n: number) => (failClaims = n) };
}

let stop = false;
const start = <T>(lane: Lane<T>) => runLane(lane, 1_000, () => new Date(), () => stop);

beforeEach(() => {
  vi.useFakeTimers();
  stop = false;
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("a delivery lane", () => {
  it("keeps up to its concurrency running and claims the next item as soon as one finishes, not when the slowest does", async () => {
    const f = fakeLane(2);
    f.due.push("a", "b", "c", "d");
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["a", "b"]);
    expect(f.claims).toEqual([2]);
    // "b" is still running: "a"'s slot alone is refilled at once.
    f.finish("a");
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["b", "c"]);
    expect(f.claims).toEqual([2, 1]);
    f.finish("c");
    f.finish("b");
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["d"]);
    f.finish("d");
    await vi.advanceTimersByTimeAsync(0);
    expect(f.running.size).toBe(0);
    stop = true;
    worker.poke();
    await worker.done;
  });

  it("under load claims again once half the lane is free, so one claim serves several items", async () => {
    const f = fakeLane(4);
    f.due.push("a", "b", "c", "d", "e", "f", "g");
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toEqual([4]);
    f.finish("a");
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toEqual([4]);
    f.finish("b");
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toEqual([4, 2]);
    expect([...f.running.keys()]).toEqual(["c", "d", "e", "f"]);
    stop = true;
    worker.poke();
    for (const item of ["c", "d", "e", "f"]) f.finish(item);
    await worker.done;
    expect(f.due).toEqual(["g"]);
  });

  it("with nothing else due at its last claim, claims again as soon as one item finishes, so a next message made due by it does not wait", async () => {
    const f = fakeLane(8);
    f.due.push("a", "b", "c", "d", "e", "f");
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toEqual([8]);
    // "a"'s end user's next message, due once "a" is answered; five are still running, more than half the lane.
    f.due.push("a2");
    f.finish("a");
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toEqual([8, 3]);
    expect([...f.running.keys()]).toEqual(["b", "c", "d", "e", "f", "a2"]);
    stop = true;
    worker.poke();
    ["b", "c", "d", "e", "f", "a2"].forEach(f.finish);
    await worker.done;
  });

  it("claims no more than its width allows right now, and its full concurrency again once the width returns", async () => {
    const f = fakeLane(4);
    let width = 1;
    f.lane.width = () => width;
    f.due.push("a", "b", "c", "d", "e");
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["a"]);
    f.finish("a");
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["b"]);
    width = 4;
    f.finish("b");
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["c", "d", "e"]);
    expect(f.claims).toEqual([1, 1, 4]);
    stop = true;
    worker.poke();
    ["c", "d", "e"].forEach(f.finish);
    await worker.done;
  });

  it("with nothing due, waits for a poke or the poll", async () => {
    const f = fakeLane(4);
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(f.claims).toHaveLength(1);
    f.due.push("x");
    worker.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect([...f.running.keys()]).toEqual(["x"]);
    expect(f.claims).toEqual([4, 4]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(f.claims).toEqual([4, 4, 3]);
    stop = true;
    worker.poke();
    f.finish("x");
    await worker.done;
  });

  it("logs a failing claim once, keeps polling without a busy loop even when poked, and says when it works again", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const infos = vi.spyOn(console, "info").mockImplementation(() => {});
    const f = fakeLane(2);
    f.failNextClaims(2);
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    worker.poke();
    worker.poke();
    await vi.advanceTimersByTimeAsync(0);
    expect(f.claims.length).toBeLessThanOrEqual(3);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(errors.mock.calls.map((c) => c[0])).toEqual(["[delivery] outbox failed; trying again every 1000 ms"]);
    expect(infos.mock.calls.map((c) => c[0])).toEqual(["[delivery] outbox works again"]);
    stop = true;
    worker.poke();
    await worker.done;
  });

  it("once stopped, claims nothing more and ends when its running items have finished", async () => {
    const f = fakeLane(2);
    f.due.push("a", "b", "c");
    const worker = start(f.lane);
    await vi.advanceTimersByTimeAsync(0);
    stop = true;
    worker.poke();
    let ended = false;
    void worker.done.then(() => (ended = true));
    f.finish("a");
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ended).toBe(false);
    f.finish("b");
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);
    expect(f.claims).toEqual([2]);
    expect(f.due).toEqual(["c"]);
  });
});
