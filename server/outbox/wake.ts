import { EventEmitter } from "node:events";

// On globalThis: Next may load this module more than once in one process (route bundles).
const shared = globalThis as unknown as { __deliveryWake?: EventEmitter };
const bus = (shared.__deliveryWake ??= new EventEmitter().setMaxListeners(50));

export type DeliveryLaneName = "inbox" | "outbox";

/**
 * Pokes this process's delivery workers after a commit that gave them work, so a webhook's turn and its
 * reply do not wait for the next poll: `lane` names the one that has work (a stored webhook is the
 * inbox's, a queued reply the outbox's; a burst of webhooks must not make the outbox look for replies on
 * every ack), none wakes both. Other processes find the rows on their own poll.
 */
export function wakeDeliveryWorkers(lane?: DeliveryLaneName): void {
  bus.emit("wake", lane);
}

/** Calls `listener` on every wake until the returned function is called. */
export function onDeliveryWake(listener: (lane: DeliveryLaneName | undefined) => void): () => void {
  bus.on("wake", listener);
  return () => bus.off("wake", listener);
}
