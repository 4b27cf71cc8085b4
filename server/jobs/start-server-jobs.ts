import { getDb } from "../db";
import { jobsIntervalMs } from "./background-jobs";
import { startBackgroundJobs } from "./scheduler";

// On globalThis: a dev server may register again after a reload, and one scheduler per process is enough.
const started = globalThis as unknown as { __backgroundJobs?: boolean };

/** The server process's away timeouts and analytics rollups, every JOBS_INTERVAL_MS (15 s by default). */
export function startServerJobs(): void {
  if (started.__backgroundJobs) return;
  started.__backgroundJobs = true;
  startBackgroundJobs({ db: getDb(), intervalMs: jobsIntervalMs(process.env.JOBS_INTERVAL_MS) });
}
