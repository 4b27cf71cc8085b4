import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { CONVERSATION_STATUSES, conversations, messages } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { outboundMetadataSchema } from "../inbox/inbox-schemas";
import { authorOf, contentView, messageContentViewSchema } from "../inbox/message-view";

export const HISTORY_LIMIT_MAX = 100;

/** The query of GET /api/widget/{key}/history. */
export const widgetHistoryQuerySchema = z.object({
  conversation_id: z.uuid().meta({ title: "Conversation ID" }).optional(),
  limit: z.coerce.number().int().min(1).max(HISTORY_LIMIT_MAX).meta({ title: "Limit" }).default(50),
});

export const widgetHistoryMessageSchema = z.object({
  sequence: z.number().int(),
  direction: z.enum(["inbound", "outbound"]),
  author: z.enum(["visitor", "bot", "agent"]),
  agent_name: z.string().nullable(),
  content: messageContentViewSchema,
  created_at: z.iso.datetime({ offset: true }),
});

/** The `data` of GET /api/widget/{key}/history: no conversation yet is `conversation_id: null` with no messages. */
export const widgetHistorySchema = z.object({
  conversation_id: z.uuid().nullable(),
  status: z.enum(CONVERSATION_STATUSES).nullable(),
  messages: z.array(widgetHistoryMessageSchema),
});
export type WidgetHistory = z.infer<typeof widgetHistorySchema>;

const OPEN_STATUSES = ["in_progress", "escalated", "with_agent"] as const;

/** The end user's own web conversations of this tenant: the only ones a visitor token reaches. */
const visitorsOwn = (tenantId: string, endUserId: string) => and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, endUserId), eq(conversations.channel, "web"));

/** The visitor's most recently active open web conversation (what the widget shows on load), if any. */
export async function latestOpenConversation(db: Db, tenantId: string, endUserId: string): Promise<{ id: string; status: (typeof CONVERSATION_STATUSES)[number] } | null> {
  const [row] = await db
    .select({ id: conversations.id, status: conversations.status })
    .from(conversations)
    .where(and(visitorsOwn(tenantId, endUserId), inArray(conversations.status, [...OPEN_STATUSES])))
    .orderBy(desc(conversations.updatedAt))
    .limit(1);
  return row ?? null;
}

/** Only the visitor's own web conversation: any other id is answered exactly like one that does not exist. */
export async function findVisitorConversation(db: Db, tenantId: string, endUserId: string, conversationId: string) {
  const [row] = z.uuid().safeParse(conversationId).success
    ? await db.select({ id: conversations.id, status: conversations.status }).from(conversations).where(and(eq(conversations.id, conversationId), visitorsOwn(tenantId, endUserId))).limit(1)
    : [];
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
  return row;
}

/** The last `limit` messages of the visitor's conversation (the given one, else their latest open one), oldest first. */
export async function readVisitorHistory(db: Db, opts: { tenantId: string; endUserId: string; conversationId?: string; limit: number }): Promise<WidgetHistory> {
  const conversation = opts.conversationId ? await findVisitorConversation(db, opts.tenantId, opts.endUserId, opts.conversationId) : await latestOpenConversation(db, opts.tenantId, opts.endUserId);
  if (!conversation) return { conversation_id: null, status: null, messages: [] };
  const rows = await db
    .select({ sequence: messages.sequence, direction: messages.direction, content: messages.content, text: messages.text, metadata: messages.metadata, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.tenantId, opts.tenantId), eq(messages.conversationId, conversation.id)))
    .orderBy(desc(messages.sequence))
    .limit(opts.limit);
  return {
    conversation_id: conversation.id,
    status: conversation.status,
    messages: rows.reverse().map((row) => {
      const author = authorOf(row);
      return {
        sequence: row.sequence,
        direction: row.direction,
        author: author === "user" ? "visitor" : author,
        agent_name: author === "agent" ? (outboundMetadataSchema.safeParse(row.metadata).data?.agent_name ?? null) : null,
        content: contentView(row),
        created_at: row.createdAt.toISOString(),
      };
    }),
  };
}
