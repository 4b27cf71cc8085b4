import { EventEmitter } from "node:events";

/**
 * In-process wake-ups for live readers (the inbox's and the widget's event streams). A wake-up carries no data:
 * readers always read the database after one, and also wake on a timeout, so a change written by another app
 * process is seen within that timeout and one written here at once.
 */
const bus = new EventEmitter();
bus.setMaxListeners(0);

type Change = { tenantId: string; conversationId: string };

export function publishConversationChange(tenantId: string, conversationId: string): void {
  bus.emit("change", { tenantId, conversationId } satisfies Change);
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
