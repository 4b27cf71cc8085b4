/**
 * `npm run worker`: the delivery workers (stored webhook events into turns, queued replies to the
 * platforms) in a process of their own, for deployments that run the app with DELIVERY_WORKERS=off. It also
 * runs the background jobs (away timeouts, analytics rollups; safe in several processes at once) unless
 * JOBS_DISABLED=1, so the app processes can leave them out too. SIGTERM/SIGINT let the running batches
 * finish (a reply being sent is recorded) before the process ends; a reply claimed by a process killed
 * harder is sent again once its lease runs out.
 */
import { loadEnvFiles } from "./load-env";

loadEnvFiles();
const { env } = await import("@/server/env");
const config = env();
if (!config.DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL: the embedded database (PGlite) belongs to the app's own process, whose workers deliver then.");
  process.exit(1);
}
const { deliveryWorkerConfig } = await import("@/server/outbox/worker-config");
const { pollMs } = deliveryWorkerConfig(process.env);
const { dbHandle } = await import("@/server/db");
const { startDeliveryWorkers } = await import("@/server/outbox/worker");
const { pipelineDepsFor } = await import("@/server/pipeline/pipeline-deps");
const { startConversationRelay } = await import("@/server/realtime/start-relay");

const handle = dbHandle();
// The dashboards of the app processes hear of failed replies and finished turns through the relay.
await startConversationRelay();
const workers = startDeliveryWorkers({ db: handle.db, depsFor: () => pipelineDepsFor(handle.db), pollMs });
const jobs =
  process.env.JOBS_DISABLED === "1"
    ? null
    : await (async () => {
        const [{ startBackgroundJobs }, { jobsIntervalMs }] = await Promise.all([import("@/server/jobs/scheduler"), import("@/server/jobs/background-jobs")]);
        return startBackgroundJobs({ db: handle.db, intervalMs: jobsIntervalMs(process.env.JOBS_INTERVAL_MS) });
      })();
console.log(JSON.stringify({ worker: "started", poll_ms: pollMs, background_jobs: jobs !== null }));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ worker: "stopping", signal }));
  await Promise.all([workers.stop(), jobs?.stop()]);
  await handle.close();
  console.log(JSON.stringify({ worker: "stopped" }));
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
