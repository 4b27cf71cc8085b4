import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { conversations, messages, outboxMessages } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { deliveryStatusOf, outboxColumns, outboxJoin, type OutboxColumns } from "../outbox/delivery-view";
import type { ConversationDetail, HistoryPage, SearchResults } from "./conversation-views";

const messageColumns = {
  id: messages.id,
  message_id: messages.externalId,
  sequence: messages.sequence,
  direction: messages.direction,
  channel: messages.channel,
  content_type: messages.contentType,
  content: messages.content,
  text: messages.text,
  intent: messages.intent,
  metadata: messages.metadata,
  created_at: messages.createdAt,
  ...outboxColumns,
};

type MessageRow = OutboxColumns & { direction: "inbound" | "outbound"; metadata: Record<string, unknown>; created_at: Date };

const toStoredMessage = <R extends MessageRow>({ metadata, outboxStatus, outboxError, ...row }: R) => ({
  ...row,
  author: row.direction === "inbound" ? ("user" as const) : metadata.author === "agent" ? ("agent" as const) : ("bot" as const),
  delivery_status:
    row.direction === "outbound" ? deliveryStatusOf({ outboxStatus, outboxError }, typeof metadata.delivery_status === "string" ? metadata.delivery_status : null) : null,
  created_at: row.created_at.toISOString(),
});

/** Messages with their outbox rows, when they have one (see delivery-view.ts). */
const messagesOf = (db: Db, tenantId: string) => db.select(messageColumns).from(messages).leftJoin(outboxMessages, outboxJoin(tenantId));

async function requireConversation(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.tenantId, tenantId))).limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.");
  return row;
}

export async function getConversation(db: Db, tenantId: string, id: string, recent = 50): Promise<ConversationDetail> {
  const conv = await requireConversation(db, tenantId, id);
  const latest = await messagesOf(db, tenantId).where(and(eq(messages.conversationId, id), eq(messages.tenantId, tenantId))).orderBy(desc(messages.sequence)).limit(recent);
  return {
    conversation_id: conv.id,
    user_id: conv.endUserId,
    channel: conv.channel,
    channels: [...new Set(latest.map((m) => m.channel))],
    message_count: conv.messageCount,
    messages: latest.reverse().map(toStoredMessage),
    context: conv.state ?? {},
    summary: { primary_intent: conv.primaryIntent, resolution_status: conv.status },
    created_at: conv.createdAt.toISOString(),
    updated_at: conv.updatedAt.toISOString(),
  };
}

export async function getHistory(db: Db, tenantId: string, id: string, page: number, pageSize: number): Promise<HistoryPage> {
  await requireConversation(db, tenantId, id);
  const where = and(eq(messages.conversationId, id), eq(messages.tenantId, tenantId));
  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    messagesOf(db, tenantId).where(where).orderBy(asc(messages.sequence)).limit(pageSize).offset((page - 1) * pageSize),
    db.select({ total: count() }).from(messages).where(where),
  ]);
  const totalMessages = Number(total);
  return { conversation_id: id, messages: rows.map(toStoredMessage), page, page_size: pageSize, total_messages: totalMessages, has_next: page * pageSize < totalMessages, has_previous: page > 1 };
}

/** Full-text search within one tenant; the query is always a bound parameter. */
export async function searchMessages(db: Db, tenantId: string, q: string, limit: number): Promise<SearchResults> {
  const tsquery = sql`plainto_tsquery('simple', ${q})`;
  const rows = await db
    .select({ ...messageColumns, conversation_id: messages.conversationId })
    .from(messages)
    .leftJoin(outboxMessages, outboxJoin(tenantId))
    .where(and(eq(messages.tenantId, tenantId), sql`to_tsvector('simple', coalesce(${messages.text}, '')) @@ ${tsquery}`))
    .orderBy(desc(messages.createdAt))
    .limit(limit);
  return { query: q, results: rows.map(toStoredMessage), count: rows.length };
}
