import { getDb } from "../db";
import { deliveryWorkerConfig, type DeliveryWorkerConfig } from "../outbox/worker-config";
import { jobsIntervalMs } from "./background-jobs";
import { startBackgroundJobs } from "./scheduler";

// On globalThis: a dev server may register again after a reload, and one scheduler per process is enough.
const started = globalThis as unknown as { __backgroundJobs?: boolean };

/**
 * The server process's away timeouts and analytics rollups, every JOBS_INTERVAL_MS (15 s by default), and
 * its delivery workers (webhook events into turns, replies to the platforms) unless DELIVERY_WORKERS=off.
 */
export function startServerJobs(): void {
  if (started.__backgroundJobs) return;
  started.__backgroundJobs = true;
  const delivery = deliveryWorkerConfig(process.env);
  startBackgroundJobs({ db: getDb(), intervalMs: jobsIntervalMs(process.env.JOBS_INTERVAL_MS) });
  if (delivery.enabled) void startDeliveryWorkers(delivery);
}

async function startDeliveryWorkers(config: DeliveryWorkerConfig): Promise<void> {
  // Loaded only when enabled, so a server without workers does not import the platforms' adapters.
  const [workers, { pipelineDepsFor }] = await Promise.all([import("../outbox/worker"), import("../pipeline/pipeline-deps")]);
  const db = getDb();
  workers.startDeliveryWorkers({ db, depsFor: () => pipelineDepsFor(db), pollMs: config.pollMs });
}
