import type { Db } from "@/db/client";
import { waitForChange } from "../realtime/conversation-bus";
import { conversationsChangedSince } from "./inbox-queries";
import type { InboxFilters } from "./inbox-schemas";
import { eventsSince, messagesAfter } from "./transcript";

export type InboxStreamOptions = {
  filters: InboxFilters;
  /** Rows changed after this are sent; a page passes the time it was rendered, less a few seconds (repeats are harmless). */
  since: Date;
  /** The open transcript: only its row is sent, with its new messages and events. */
  conversation?: { id: string; afterSequence: number };
  wakeMs?: number;
  heartbeatMs?: number;
};

/*
 * A row's updated_at is the time its transaction wrote it, which can commit after a later-stamped one: each read
 * looks back this far and skips what it already sent, so a slow commit is not missed.
 */
const LOOK_BACK_MS = 5_000;
const BATCH = 500;

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The inbox's live feed for one member: `conversation` events (list rows, with whether they match the filters),
 * and for an open transcript `message` and `conversation_event` events. It reads the database after every wake-up
 * (a published change, or the timeout, since another process may have written), and ends when `signal` aborts.
 */
export function inboxEventStream(db: Db, tenantId: string, userId: string, opts: InboxStreamOptions, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const end = () => stop.abort();
  signal.addEventListener("abort", end, { once: true });
  const wakeMs = opts.wakeMs ?? 1000;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        if (!stop.signal.aborted) controller.enqueue(encoder.encode(chunk));
      };
      const floor = opts.since.getTime();
      // Never before `since`: the caller already has what was written until then.
      const lookFrom = (at: number) => new Date(Math.max(floor, at - LOOK_BACK_MS));
      let cursor = floor;
      const sentRows = new Map<string, string>();
      let afterSequence = opts.conversation?.afterSequence ?? 0;
      let eventCursor = floor;
      const sentEvents = new Map<string, number>();
      let lastBeat = Date.now();

      const poll = async () => {
        const rows = await conversationsChangedSince(db, tenantId, userId, opts.filters, { since: lookFrom(cursor), limit: BATCH, conversationId: opts.conversation?.id });
        for (const row of rows) {
          if (sentRows.get(row.id) === row.updated_at) continue;
          sentRows.set(row.id, row.updated_at);
          cursor = Math.max(cursor, Date.parse(row.updated_at));
          send(frame("conversation", row));
        }
        for (const [id, at] of sentRows) if (Date.parse(at) < cursor - LOOK_BACK_MS) sentRows.delete(id);
        if (!opts.conversation) return;
        const { id } = opts.conversation;
        for (const message of await messagesAfter(db, tenantId, id, afterSequence)) {
          afterSequence = message.sequence;
          send(frame("message", message));
        }
        for (const event of await eventsSince(db, tenantId, id, lookFrom(eventCursor))) {
          if (sentEvents.has(event.id)) continue;
          const at = Date.parse(event.at);
          sentEvents.set(event.id, at);
          eventCursor = Math.max(eventCursor, at);
          send(frame("conversation_event", event));
        }
        for (const [eventId, at] of sentEvents) if (at < eventCursor - LOOK_BACK_MS) sentEvents.delete(eventId);
      };

      const run = async () => {
        // EventSource reconnects after a dropped connection; a second is soon enough and spares a restarting server.
        send("retry: 1000\n\n");
        while (!stop.signal.aborted) {
          try {
            await poll();
          } catch (error) {
            // A database hiccup: the next wake-up reads again, the stream stays open.
            console.warn(`[inbox-stream] read failed for tenant ${tenantId}: ${(error as Error).message}`);
          }
          if (Date.now() - lastBeat >= heartbeatMs) {
            send(": heartbeat\n\n");
            lastBeat = Date.now();
          }
          await waitForChange(tenantId, { timeoutMs: wakeMs, signal: stop.signal });
        }
        signal.removeEventListener("abort", end);
        try {
          controller.close();
        } catch {
          // already closed: the reader cancelled
        }
      };
      void run();
    },
    cancel() {
      end();
    },
  });
}
