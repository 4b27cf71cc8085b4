import { z } from "zod";
import type { Db } from "@/db/client";

/** One periodic task; it must be safe to repeat, and to run in several app processes at once. `intervalMs` is the tick's. */
export type BackgroundJob = { name: string; run: (db: Db, now: Date, intervalMs: number) => Promise<unknown> };

export const DEFAULT_JOBS_INTERVAL_MS = 15_000;
/** How often the periodic job refreshes one tenant's rollups at most (reads refresh them themselves). */
export const ROLLUPS_KEPT_WARM_EVERY_MS = 5 * 60_000;

/** A job's run at most once per `ms` in this process: for work whose every tick would mostly find nothing. */
export function atMostEvery(ms: number, run: BackgroundJob["run"]): BackgroundJob["run"] {
  let last = -Infinity;
  return async (db, now, intervalMs) => {
    if (now.getTime() - last < ms) return;
    last = now.getTime();
    return run(db, now, intervalMs);
  };
}

/** The app's periodic work. Modules load on the first tick, so starting the server does not wait for them. */
export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  { name: "away timeouts", run: async (db, now) => (await import("../inbox/handoff-service")).fireAwayTimeouts(db, now) },
  // Every analytics read refreshes what changed first, so this only keeps a quiet tenant's rollups warm: a
  // busy tenant's today is recounted whole on each refresh, which every 15 s would be most of the job's cost.
  { name: "analytics rollups", run: async (db, now, intervalMs) => (await import("../analytics/refresh-rollups")).refreshAllRollups(db, now, { minGapMs: Math.max(intervalMs, ROLLUPS_KEPT_WARM_EVERY_MS) }) },
  // Hourly: its scan for old rows is the cost, and an hour more of kept events costs nothing.
  { name: "webhook inbox retention", run: atMostEvery(3_600_000, async (db, now) => (await import("../channels/inbox-retention")).pruneWebhookInbox(db, now)) },
];

const intervalSchema = z.coerce.number().int().min(100).default(DEFAULT_JOBS_INTERVAL_MS);

/** JOBS_INTERVAL_MS, when set, overrides the 15 s tick; a malformed value stops the start loudly. */
export function jobsIntervalMs(value: string | undefined): number {
  const parsed = intervalSchema.safeParse(value === "" ? undefined : value);
  if (!parsed.success) throw new Error(`JOBS_INTERVAL_MS must be a whole number of milliseconds, at least 100; got "${value}"`);
  return parsed.data;
}
