import { EventEmitter } from "node:events";

// On globalThis: Next may load this module more than once in one process (route bundles).
const shared = globalThis as unknown as { __deliveryWake?: EventEmitter };
const bus = (shared.__deliveryWake ??= new EventEmitter().setMaxListeners(50));

/**
 * Pokes this process's delivery workers (inbox processing and outbox sending) after a commit that gave
 * them work, so a webhook's turn and its reply do not wait for the next poll. Other processes find the
 * rows on their own poll.
 */
export function wakeDeliveryWorkers(): void {
  bus.emit("wake");
}

/** Calls `listener` on every wake until the returned function is called. */
export function onDeliveryWake(listener: () => void): () => void {
  bus.on("wake", listener);
  return () => bus.off("wake", listener);
}
