import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { atMostEvery, jobsIntervalMs, type BackgroundJob } from "@/server/jobs/background-jobs";
import { startBackgroundJobs, type BackgroundJobsHandle } from "@/server/jobs/scheduler";

const db = {} as Db;
const NOW = new Date("2026-03-02T10:00:00Z");
let handle: BackgroundJobsHandle | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(async () => {
  vi.useRealTimers();
  await handle?.stop();
  handle = undefined;
  vi.restoreAllMocks();
});

/** A job that records each run's time and finishes when the test says so. */
function controlledJob(name: string) {
  const runs: Date[] = [];
  const finishers: (() => void)[] = [];
  const job: BackgroundJob = {
    name,
    run: (_db, now) => {
      runs.push(now);
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
  };
  return { job, runs, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

describe("background jobs", () => {
  it("runs a job wrapped in atMostEvery on the first tick, then only once its period has passed", async () => {
    const prune = vi.fn(async (_db: Db, _now: Date) => 0);
    handle = startBackgroundJobs({ db, intervalMs: 15_000, jobs: [{ name: "webhook inbox retention", run: atMostEvery(60_000, prune) }] });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(prune).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(45_000);
    expect(prune).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(prune.mock.calls.map(([, now]) => now.toISOString())).toEqual(["2026-03-02T10:00:15.000Z", "2026-03-02T10:01:15.000Z"]);
  });

  it("runs every job each interval, with the time of the tick", async () => {
    const away = vi.fn(async () => 0);
    const rollups = vi.fn(async () => 0);
    handle = startBackgroundJobs({ db, intervalMs: 15_000, jobs: [{ name: "away timeouts", run: away }, { name: "analytics rollups", run: rollups }] });
    await vi.advanceTimersByTimeAsync(14_999);
    expect(away).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(away).toHaveBeenCalledWith(db, new Date(NOW.getTime() + 15_000), 15_000);
    expect(rollups).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(away).toHaveBeenCalledTimes(3);
    expect(rollups).toHaveBeenCalledTimes(3);
  });

  it("never starts a tick while the previous one is still running", async () => {
    const slow = controlledJob("analytics rollups");
    handle = startBackgroundJobs({ db, intervalMs: 1000, jobs: [slow.job] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(slow.runs).toHaveLength(1);
    // The run takes ten intervals: no second run starts meanwhile.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(slow.runs).toHaveLength(1);
    slow.finishAll();
    await vi.advanceTimersByTimeAsync(1000);
    expect(slow.runs.map((d) => d.toISOString())).toEqual(["2026-03-02T10:00:01.000Z", "2026-03-02T10:00:12.000Z"]);
    slow.finishAll();
  });

  it("logs a failing job with its name, still runs the others, and tries it again next tick", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let failures = 1;
    const flaky = vi.fn(async () => {
      if (failures-- > 0) throw new Error("database unreachable");
      return 2;
    });
    const rollups = vi.fn(async () => 0);
    handle = startBackgroundJobs({ db, intervalMs: 1000, jobs: [{ name: "away timeouts", run: flaky }, { name: "analytics rollups", run: rollups }] });
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveBeenCalledWith("[jobs] away timeouts failed; it runs again in 1000 ms", expect.objectContaining({ message: "database unreachable" }));
    expect(rollups).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(flaky).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it("stop() waits for the running tick and starts no further one", async () => {
    const slow = controlledJob("away timeouts");
    handle = startBackgroundJobs({ db, intervalMs: 1000, jobs: [slow.job] });
    await vi.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = handle.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    slow.finishAll();
    await stopping;
    await vi.advanceTimersByTimeAsync(5000);
    expect(slow.runs).toHaveLength(1);
  });

  it("takes its interval from JOBS_INTERVAL_MS, 15 s when unset, and refuses a malformed one", () => {
    expect(jobsIntervalMs(undefined)).toBe(15_000);
    expect(jobsIntervalMs("")).toBe(15_000);
    expect(jobsIntervalMs("2000")).toBe(2000);
    expect(() => jobsIntervalMs("soon")).toThrow('JOBS_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "soon"');
    expect(() => jobsIntervalMs("5")).toThrow("at least 100");
  });
});
