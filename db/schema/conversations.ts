import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { CHANNEL_TYPES } from "./channels";
import { flowVersions } from "./flows";
import { tenants } from "./tenants";

export const CONVERSATION_STATUSES = ["in_progress", "resolved", "escalated"] as const;
export const DIRECTIONS = ["inbound", "outbound"] as const;

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    endUserId: text("end_user_id").notNull(),
    sessionId: text("session_id"),
    channel: text("channel", { enum: CHANNEL_TYPES }).notNull(),
    flowVersionId: uuid("flow_version_id").references(() => flowVersions.id, { onDelete: "set null" }),
    state: jsonb("state").$type<Record<string, unknown>>(),
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull().default("in_progress"),
    primaryIntent: text("primary_intent"),
    messageCount: integer("message_count").notNull().default(0),
    lastSequence: integer("last_sequence").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("conversations_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("conversations_tenant_user_idx").on(t.tenantId, t.endUserId),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    replyTo: uuid("reply_to"),
    sequence: integer("sequence").notNull(),
    direction: text("direction", { enum: DIRECTIONS }).notNull(),
    channel: text("channel", { enum: CHANNEL_TYPES }).notNull(),
    contentType: text("content_type").notNull(),
    content: jsonb("content").$type<Record<string, unknown>>().notNull(),
    text: text("text"),
    intent: text("intent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_conversation_sequence_key").on(t.conversationId, t.sequence),
    // Idempotency: one inbound message per client-supplied id per tenant.
    uniqueIndex("messages_tenant_external_key").on(t.tenantId, t.externalId).where(sql`direction = 'inbound'`),
    index("messages_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("messages_text_search_idx").using("gin", sql`to_tsvector('simple', coalesce(${t.text}, ''))`),
  ],
);
