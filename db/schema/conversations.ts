import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { CHANNEL_TYPES } from "./channels";
import { flowVersions } from "./flows";
import { tenants } from "./tenants";
import { users } from "./users";

/**
 * in_progress: the bot answers. escalated: waiting for an agent (the visitor is told so). with_agent: a person
 * has taken it and the bot is quiet. resolved: closed; a visitor who writes again is answered by the bot.
 */
export const CONVERSATION_STATUSES = ["in_progress", "escalated", "with_agent", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
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
    /** The agent who has taken the conversation (status with_agent), or who last had it. */
    assignedTo: uuid("assigned_to").references(() => users.id, { onDelete: "set null" }),
    /** When `status` last changed: the queue's wait time is measured from here. */
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }).notNull().defaultNow(),
    /** First handoff, first message written by a person, last resolution: the analytics' human figures. */
    handedOffAt: timestamp("handed_off_at", { withTimezone: true }),
    firstHumanReplyAt: timestamp("first_human_reply_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    /** Every flow state the conversation has entered (the analytics funnel, the inbox's state filter). */
    visitedStates: text("visited_states").array().notNull().default(sql`'{}'::text[]`),
    /** Turns the bot did not understand (the inbox's "not understood" filter). */
    notUnderstoodCount: integer("not_understood_count").notNull().default(0),
    /** Conversations of the dashboard's test widget: listed in the inbox, never counted in analytics. */
    sandbox: boolean("sandbox").notNull().default(false),
    /** Where replies are delivered for a conversation a messaging-channel webhook started (server/channels/delivery-address.ts); null for the API and the widget. */
    deliveryAddress: jsonb("delivery_address").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("conversations_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("conversations_tenant_user_idx").on(t.tenantId, t.endUserId),
    // Only conversations a person is involved in: the bot's (most of them) cost their turns no entry here.
    index("conversations_tenant_status_updated_idx").on(t.tenantId, t.status, t.updatedAt).where(sql`status in ('escalated', 'with_agent')`),
    index("conversations_tenant_created_idx").on(t.tenantId, t.createdAt),
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

export const CONVERSATION_EVENT_KINDS = ["handoff_requested", "taken", "released", "resolved", "reopened", "away_timeout", "note"] as const;
export type ConversationEventKind = (typeof CONVERSATION_EVENT_KINDS)[number];

/** Every status change (and internal note) of a conversation, with who and when; never shown to the end user. */
export const conversationEvents = pgTable(
  "conversation_events",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: CONVERSATION_EVENT_KINDS }).notNull(),
    fromStatus: text("from_status", { enum: CONVERSATION_STATUSES }),
    toStatus: text("to_status", { enum: CONVERSATION_STATUSES }),
    /** The member who acted; null for the bot, the away timer, or an API caller naming no member. */
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    /** How the actor is shown: an email, "bot", "away timer", "API". */
    actorLabel: text("actor_label").notNull(),
    note: text("note"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("conversation_events_conversation_idx").on(t.conversationId, t.createdAt), index("conversation_events_tenant_created_idx").on(t.tenantId, t.createdAt)],
);

/** How far each member has read each conversation: the inbox's unread markers. */
export const conversationReads = pgTable(
  "conversation_reads",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    readSequence: integer("read_sequence").notNull(),
  },
  (t) => [uniqueIndex("conversation_reads_conversation_user_key").on(t.conversationId, t.userId)],
);
