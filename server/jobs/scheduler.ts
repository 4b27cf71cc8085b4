import type { Db } from "@/db/client";
import { BACKGROUND_JOBS, DEFAULT_JOBS_INTERVAL_MS, type BackgroundJob } from "./background-jobs";

export type BackgroundJobsHandle = {
  /** No tick starts after this; resolves once a tick already running has finished. */
  stop(): Promise<void>;
};

export type SchedulerOptions = { db: Db; intervalMs?: number; jobs?: readonly BackgroundJob[]; now?: () => Date };

/**
 * Runs every job once per tick, one tick at a time: the next tick is scheduled only when the last one has
 * finished, so a slow run never overlaps the next. A job that throws is logged and tried again next tick;
 * it never stops the other jobs or the server.
 */
export function startBackgroundJobs({ db, intervalMs = DEFAULT_JOBS_INTERVAL_MS, jobs = BACKGROUND_JOBS, now = () => new Date() }: SchedulerOptions): BackgroundJobsHandle {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  async function tick(): Promise<void> {
    for (const job of jobs) {
      if (stopped) return;
      try {
        await job.run(db, now(), intervalMs);
      } catch (error) {
        console.error(`[jobs] ${job.name} failed; it runs again in ${intervalMs} ms`, error);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    // The timer alone never keeps a process (a CLI, a test run) alive.
    timer.unref?.();
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
