import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { CONVERSATION_STATUSES, conversations, messages, users } from "@/db/schema";
import { waitForChange } from "../realtime/conversation-bus";

/** The query of GET /api/widget/{key}/conversations/{id}/events (the visitor is the token's, never the query's). */
export const widgetEventsQuerySchema = z.object({
  /** The highest sequence the widget has shown; only later messages are streamed. */
  after: z.coerce.number().int().min(0).meta({ title: "After" }).default(0),
});

/** `event: message`: what a person (or the away timer) wrote outside the visitor's own POST answers. */
export const widgetLiveMessageSchema = z.object({
  sequence: z.number().int(),
  text: z.string(),
  author: z.enum(["agent", "bot"]),
  agent_name: z.string().nullable(),
  created_at: z.iso.datetime({ offset: true }),
});
export type WidgetLiveMessage = z.infer<typeof widgetLiveMessageSchema>;

/** `event: status`: sent on connecting and whenever the conversation's status changes. */
export const widgetStatusEventSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES),
  /** The assigned agent's name while a person has the conversation. */
  agent_name: z.string().nullable(),
});
export type WidgetStatusEvent = z.infer<typeof widgetStatusEventSchema>;

type Snapshot = { status: WidgetStatusEvent; lastSequence: number };

async function readSnapshot(db: Db, tenantId: string, conversationId: string): Promise<Snapshot | null> {
  const [row] = await db
    .select({ status: conversations.status, lastSequence: conversations.lastSequence, agentName: users.name })
    .from(conversations)
    .leftJoin(users, eq(users.id, conversations.assignedTo))
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId)))
    .limit(1);
  if (!row) return null;
  return { status: { status: row.status, agent_name: row.status === "with_agent" ? row.agentName : null }, lastSequence: row.lastSequence };
}

/**
 * Bot replies to the visitor's own messages arrive in the POST answer; everything else outbound does not:
 * agent messages, and bot messages that answer no inbound message (the away timer's).
 */
export async function readLiveMessages(db: Db, tenantId: string, conversationId: string, after: number): Promise<WidgetLiveMessage[]> {
  const rows = await db
    .select({
      sequence: messages.sequence,
      text: messages.text,
      author: sql<string | null>`${messages.metadata} ->> 'author'`,
      agentName: sql<string | null>`${messages.metadata} ->> 'agent_name'`,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .where(
      and(
        eq(messages.tenantId, tenantId),
        eq(messages.conversationId, conversationId),
        eq(messages.direction, "outbound"),
        gt(messages.sequence, after),
        or(sql`${messages.metadata} ->> 'author' = 'agent'`, isNull(messages.replyTo)),
      ),
    )
    .orderBy(asc(messages.sequence));
  return rows.map((r) =>
    widgetLiveMessageSchema.parse({
      sequence: r.sequence,
      text: r.text ?? "",
      author: r.author === "agent" ? "agent" : "bot",
      agent_name: r.author === "agent" ? r.agentName : null,
      created_at: r.createdAt.toISOString(),
    }),
  );
}

/** One server-sent event; `id` (a sequence) is what EventSource sends back as Last-Event-ID when it reconnects. */
export function sseEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The later of `after` and a reconnecting EventSource's Last-Event-ID. */
export function resumeAfter(after: number, lastEventId: string | null): number {
  const seen = lastEventId ? Number.parseInt(lastEventId, 10) : Number.NaN;
  return Number.isInteger(seen) && seen > after ? seen : after;
}

export type WidgetStreamOptions = {
  db: Db;
  tenantId: string;
  conversationId: string;
  after: number;
  signal?: AbortSignal;
  /** Longest wait between database reads: another app process's writes wake nobody here. */
  wakeMs?: number;
  heartbeatMs?: number;
  /** The stream ends after this; EventSource reconnects with Last-Event-ID. */
  maxMs?: number;
};

/**
 * The widget's live stream: after each wake-up (a published change or `wakeMs`) it reads the conversation and
 * sends new messages and status changes. The wait is armed before each read, so a change committed while
 * reading wakes the next read at once instead of after a full `wakeMs`.
 */
export function openWidgetEventStream(opts: WidgetStreamOptions): ReadableStream<Uint8Array> {
  const { db, tenantId, conversationId } = opts;
  const wakeMs = opts.wakeMs ?? 1000;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxMs = opts.maxMs ?? 10 * 60_000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const encoder = new TextEncoder();

  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (chunk: string) => controller.enqueue(encoder.encode(chunk));
      const endAt = Date.now() + maxMs;
      let after = opts.after;
      let lastStatus: string | null = null;
      let lastWrite = Date.now();
      try {
        send(`retry: ${wakeMs}\n\n`);
        while (!stop.signal.aborted && Date.now() < endAt) {
          const woken = waitForChange(tenantId, { conversationId, timeoutMs: Math.min(wakeMs, Math.max(0, endAt - Date.now())), signal: stop.signal });
          const snapshot = await readSnapshot(db, tenantId, conversationId);
          if (!snapshot) break;
          if (snapshot.lastSequence > after) {
            // Replies delivered by the POST answer are skipped for good, so the next read starts after them too.
            let newest = snapshot.lastSequence;
            for (const message of await readLiveMessages(db, tenantId, conversationId, after)) {
              send(sseEvent("message", message, message.sequence));
              newest = Math.max(newest, message.sequence);
              lastWrite = Date.now();
            }
            after = newest;
          }
          const status = JSON.stringify(snapshot.status);
          if (status !== lastStatus) {
            send(sseEvent("status", snapshot.status));
            lastStatus = status;
            lastWrite = Date.now();
          }
          if (Date.now() - lastWrite >= heartbeatMs) {
            send(": keep-alive\n\n");
            lastWrite = Date.now();
          }
          await woken;
        }
      } catch (error) {
        // The widget reconnects on its own; a failed read ends this stream, never the server.
        if (!stop.signal.aborted) console.error(`[widget-events] stream for conversation ${conversationId} failed`, error);
      } finally {
        opts.signal?.removeEventListener("abort", onAbort);
        stop.abort();
        try {
          controller.close();
        } catch {
          // Already closed by a cancelled reader.
        }
      }
    },
    cancel() {
      stop.abort();
    },
  });
}
