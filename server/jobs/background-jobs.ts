import { z } from "zod";
import type { Db } from "@/db/client";

/** One periodic task; it must be safe to repeat, and to run in several app processes at once. `intervalMs` is the tick's. */
export type BackgroundJob = { name: string; run: (db: Db, now: Date, intervalMs: number) => Promise<unknown> };

export const DEFAULT_JOBS_INTERVAL_MS = 15_000;

/** The app's periodic work. Modules load on the first tick, so starting the server does not wait for them. */
export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  { name: "away timeouts", run: async (db, now) => (await import("../inbox/handoff-service")).fireAwayTimeouts(db, now) },
  { name: "analytics rollups", run: async (db, now, intervalMs) => (await import("../analytics/refresh-rollups")).refreshAllRollups(db, now, { minGapMs: intervalMs }) },
];

const intervalSchema = z.coerce.number().int().min(100).default(DEFAULT_JOBS_INTERVAL_MS);

/** JOBS_INTERVAL_MS, when set, overrides the 15 s tick; a malformed value stops the start loudly. */
export function jobsIntervalMs(value: string | undefined): number {
  const parsed = intervalSchema.safeParse(value === "" ? undefined : value);
  if (!parsed.success) throw new Error(`JOBS_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${value}"`);
  return parsed.data;
}
