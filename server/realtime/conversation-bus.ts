import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";

/**
 * Wake-ups for live readers (the inbox's and the widget's event streams). A wake-up carries no data: readers
 * always read the database after one, and also wake on a timeout, so nothing is missed if one is lost.
 * In one process a change wakes its readers at once; with Postgres, `relayAcrossProcesses` also passes it to
 * the other app processes through LISTEN/NOTIFY.
 */
type Change = { tenantId: string; conversationId: string };
type Notifier = (payload: string) => void;

// On globalThis: Next.js may load this module once per bundle (instrumentation, route handlers) in one process.
const shared = globalThis as unknown as { __conversationBus?: EventEmitter; __conversationRelay?: Notifier };
const bus = (shared.__conversationBus ??= new EventEmitter().setMaxListeners(0));

export const RELAY_CHANNEL = "conversation_changes";
// Tells this process's own notifications apart when Postgres echoes them back.
const processToken = (shared as { __conversationProcess?: string }).__conversationProcess ??= randomUUID();

/** The NOTIFY payload of a change made by this process (also sent by a statement itself: see persist-turn.ts). */
export const relayPayload = (tenantId: string, conversationId: string) => `${processToken}:${tenantId}:${conversationId}`;

export function publishConversationChange(tenantId: string, conversationId: string): void {
  wakeLocalReaders(tenantId, conversationId);
  shared.__conversationRelay?.(relayPayload(tenantId, conversationId));
}

/** For a change whose statement already notified the other processes: only this process's readers are left. */
export function wakeLocalReaders(tenantId: string, conversationId: string): void {
  bus.emit("change", { tenantId, conversationId } satisfies Change);
}

/** A change another process made; this process's own, echoed back by Postgres, already woke its readers. */
export function receiveRelayedChange(payload: string): void {
  const [origin, tenantId, conversationId] = payload.split(":");
  if (origin !== processToken && tenantId && conversationId) wakeLocalReaders(tenantId, conversationId);
}

/** Installs the cross-process relay once per process: `listen` subscribes to RELAY_CHANNEL, `notify` sends on it. */
export async function relayAcrossProcesses(client: { listen(channel: string, fn: (payload: string) => void): Promise<unknown>; notify(channel: string, payload: string): Promise<unknown> }): Promise<void> {
  if (shared.__conversationRelay) return;
  shared.__conversationRelay = (payload) => {
    client.notify(RELAY_CHANNEL, payload).catch((error: unknown) => console.warn(`[realtime] could not relay a change to other processes: ${error instanceof Error ? error.message : String(error)}`));
  };
  await client.listen(RELAY_CHANNEL, receiveRelayedChange);
}

/** Resolves when a change for the tenant (and conversation, when given) is published, or after timeoutMs, or on abort. */
export function waitForChange(tenantId: string, opts: { conversationId?: string; timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      bus.off("change", onChange);
      opts.signal?.removeEventListener("abort", done);
      resolve();
    };
    const onChange = (change: Change) => {
      if (change.tenantId === tenantId && (!opts.conversationId || change.conversationId === opts.conversationId)) done();
    };
    const timer = setTimeout(done, opts.timeoutMs);
    bus.on("change", onChange);
    opts.signal?.addEventListener("abort", done, { once: true });
  });
}
