import type { Db } from "@/db/client";
import { claimInboxRows, type ClaimedInboxRow } from "../channels/inbox-store";
import { INBOX_CONCURRENCY, runInboxRow } from "../channels/inbox-processor";
import { floodedWithWebhooks, noteClaimWaits } from "../channels/ingress-pressure";
import type { PipelineDeps } from "../pipeline/process-message";
import type { ClaimedRow } from "./claim";
import { claimDeliveries, CONCURRENCY as SEND_CONCURRENCY, deliverRow, type ClaimedDeliveries } from "./deliver";
import { DEFAULT_POLL_MS } from "./worker-config";
import { onDeliveryWake } from "./wake";

export type DeliveryWorkersOptions = { db: Db; depsFor: () => PipelineDeps; pollMs?: number; now?: () => Date };
export type DeliveryWorkers = { stop(): Promise<void> };

/**
 * A lane's work: claim up to `limit` due items other than the `running` ones (by id: a lease that ran out
 * under a clock moved on must not hand this worker an item it is still running); run one (it settles its
 * own outcome and never throws).
 */
export type Lane<T> = {
  name: string;
  concurrency: number;
  /** How many may run right now, at most `concurrency` (the inbox narrows during a webhook flood); `concurrency` when absent. */
  width?: () => number;
  idOf: (item: T) => string;
  claim: (now: Date, limit: number, running: readonly string[]) => Promise<T[]>;
  run: (item: T, now: Date) => Promise<void>;
};

/**
 * Keeps up to `concurrency` items of one lane running, claiming more while items are still running: a
 * finished turn may have made the same end user's next message due, and a finished send the conversation's
 * next reply, so nothing waits for the slowest item of a batch. With nothing due it waits for a poke or
 * `pollMs`. A failing claim (the database away) is logged when it starts and stops failing, and tried again
 * after `pollMs`; it never ends the loop or the process.
 */
export function runLane<T>(lane: Lane<T>, pollMs: number, now: () => Date, stopped: () => boolean) {
  const running = new Map<Promise<void>, string>();
  // A finished item makes room. Under load (the last claim filled the room it had) the lane claims again once
  // half of it is free, so one claim statement serves several items rather than one each. With nothing else
  // due at the last claim, a finished item claims again at once: it may have made its end user's next message
  // (or its conversation's next reply) due, which must not wait for unrelated items to finish.
  const refillAt = Math.floor(lane.concurrency / 2);
  let drained = false;
  // Set by a poke or a finished item, so one that lands while a claim is out is not missed.
  let again = false;
  let wake: (() => void) | undefined;
  let failing = false;
  const signal = () => {
    again = true;
    wake?.();
  };
  const done = (async () => {
    while (!stopped()) {
      again = false;
      const room = Math.min(lane.concurrency, lane.width?.() ?? lane.concurrency) - running.size;
      if (room > 0) {
        try {
          const at = now();
          const items = await lane.claim(at, room, [...running.values()]);
          drained = items.length < room;
          for (const item of items) {
            const run: Promise<void> = lane
              .run(item, at)
              .catch((error: unknown) => console.error(`[delivery] ${lane.name} item failed unexpectedly`, error))
              .finally(() => {
                running.delete(run);
                if (drained || running.size <= refillAt) signal();
              });
            running.set(run, lane.idOf(item));
          }
          if (failing) console.info(`[delivery] ${lane.name} works again`);
          failing = false;
        } catch (error) {
          if (!failing) console.error(`[delivery] ${lane.name} failed; trying again every ${pollMs} ms`, error);
          failing = true;
        }
      }
      if (stopped()) break;
      // Claimed what was due (or filled the lane): the next claim follows a poke or a finished item. A failing
      // lane waits for the poll even when poked meanwhile, so a dead database gets no busy loop.
      if (!failing && again) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    await Promise.all(running.keys());
  })();
  return { poke: signal, done };
}

/**
 * The delivery workers of this process: one lane runs stored webhook events into turns, the other sends
 * queued replies. They are separate lanes so a slow turn never holds up replies already waiting (and the
 * reverse); each wakes on wakeDeliveryWorkers() for its own work and polls every `pollMs` for other processes' work.
 * stop() lets the running items finish and claims nothing more.
 */
export function startDeliveryWorkers({ db, depsFor, pollMs = DEFAULT_POLL_MS, now = () => new Date() }: DeliveryWorkersOptions): DeliveryWorkers {
  let stopped = false;
  const inbox = runLane<ClaimedInboxRow>(
    {
      name: "inbox",
      concurrency: INBOX_CONCURRENCY,
      // Acks first during a flood (channels/ingress-pressure.ts): one turn at a time until it ends.
      width: () => (floodedWithWebhooks() ? 1 : INBOX_CONCURRENCY),
      idOf: (row) => row.id,
      claim: async (at, limit, running) => {
        const rows = await claimInboxRows(db, at, limit, running);
        noteClaimWaits(rows.map((row) => row.waitedMs));
        return rows;
      },
      run: (row, at) => runInboxRow(db, depsFor(), row, at),
    },
    pollMs,
    now,
    () => stopped,
  );
  const outbox = runLane<{ row: ClaimedRow; claimed: ClaimedDeliveries }>(
    {
      name: "outbox",
      concurrency: SEND_CONCURRENCY,
      idOf: ({ row }) => row.id,
      claim: async (at, limit, running) => {
        const claimed = await claimDeliveries(db, at, limit, running);
        return claimed.rows.map((row) => ({ row, claimed }));
      },
      run: ({ row, claimed }, at) => deliverRow(db, row, claimed, { now: at }),
    },
    pollMs,
    now,
    () => stopped,
  );
  const lanes = [
    { name: "inbox", ...inbox },
    { name: "outbox", ...outbox },
  ];
  const off = onDeliveryWake((which) => lanes.forEach((lane) => (!which || which === lane.name) && lane.poke()));
  return {
    async stop() {
      stopped = true;
      off();
      lanes.forEach((lane) => lane.poke());
      await Promise.all(lanes.map((lane) => lane.done));
    },
  };
}
