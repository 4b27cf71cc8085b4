import type { Db } from "@/db/client";
import { processInboxBatch } from "../channels/inbox-processor";
import type { PipelineDeps } from "../pipeline/process-message";
import { deliverOutboxBatch } from "./deliver";
import { DEFAULT_POLL_MS } from "./worker-config";
import { onDeliveryWake } from "./wake";

export type DeliveryWorkersOptions = { db: Db; depsFor: () => PipelineDeps; pollMs?: number; now?: () => Date };
export type DeliveryWorkers = { stop(): Promise<void> };

type Lane = { name: string; step: (now: Date) => Promise<number> };

/**
 * Runs one step over and over: again at once while it finds work (or was poked meanwhile), otherwise after
 * a poke or `pollMs`. A failing step (the database away) is logged when it starts and stops failing, and
 * tried again after `pollMs`; it never ends the loop or the process.
 */
function runLane(lane: Lane, pollMs: number, now: () => Date, stopped: () => boolean) {
  let poked = false;
  let wake: (() => void) | undefined;
  let failing = false;
  const poke = () => {
    poked = true;
    wake?.();
  };
  const done = (async () => {
    while (!stopped()) {
      poked = false;
      let found = 0;
      try {
        found = await lane.step(now());
        if (failing) console.info(`[delivery] ${lane.name} works again`);
        failing = false;
      } catch (error) {
        if (!failing) console.error(`[delivery] ${lane.name} failed; trying again every ${pollMs} ms`, error);
        failing = true;
      }
      if (!failing && (found > 0 || poked)) continue;
      if (stopped()) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();
  return { poke, done };
}

/**
 * The delivery workers of this process: one lane runs stored webhook events into turns, the other sends
 * queued replies. They are separate lanes so a slow turn never holds up replies already waiting (and the
 * reverse); both wake on wakeDeliveryWorkers() and poll every `pollMs` for other processes' work.
 * stop() lets the running batches finish.
 */
export function startDeliveryWorkers({ db, depsFor, pollMs = DEFAULT_POLL_MS, now = () => new Date() }: DeliveryWorkersOptions): DeliveryWorkers {
  let stopped = false;
  const lanes = [
    { name: "inbox", step: (at: Date) => processInboxBatch(db, depsFor, at) },
    { name: "outbox", step: (at: Date) => deliverOutboxBatch(db, { now: at }) },
  ].map((lane) => runLane(lane, pollMs, now, () => stopped));
  const off = onDeliveryWake(() => lanes.forEach((lane) => lane.poke()));
  return {
    async stop() {
      stopped = true;
      off();
      lanes.forEach((lane) => lane.poke());
      await Promise.all(lanes.map((lane) => lane.done));
    },
  };
}
