import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { channels } from "./channels";
import { createdAt, id, updatedAt } from "./columns";
import { conversations, messages } from "./conversations";
import { tenants } from "./tenants";

/** pending: stored and acknowledged, not yet run; processing: claimed under a lease; done; failed: gave up (the reason is kept). */
export const INBOX_STATES = ["pending", "processing", "done", "failed"] as const;
export type InboxState = (typeof INBOX_STATES)[number];
export const INBOX_KINDS = ["message", "status", "watermark"] as const;

/**
 * Every webhook event a platform delivered, stored before the webhook is acknowledged; the turn runs from
 * here. `external_id` (wamid, Slack event_id, Messenger mid, bridge message_id) makes a redelivery a no-op.
 */
export const webhookInbox = pgTable(
  "webhook_inbox",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    kind: text("kind", { enum: INBOX_KINDS }).notNull(),
    /** The adapter's normalised event (server/channels/adapters/types.ts InboundEvent). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: text("state", { enum: INBOX_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("webhook_inbox_channel_external_key").on(t.channelId, t.externalId),
    index("webhook_inbox_due_idx").on(t.nextAttemptAt).where(sql`state in ('pending', 'processing')`),
    // The claim's "no earlier message of this user still waiting" check (inbox-store.ts) probes this instead of
    // scanning every waiting row for each candidate, which made a backlog's claims quadratic.
    index("webhook_inbox_user_order_idx")
      .on(t.channelId, sql`(${t.payload}->>'userId')`, t.receivedAt, t.id)
      .where(sql`state in ('pending', 'processing') and kind = 'message'`),
  ],
);

/** queued: waiting (maybe until next_attempt_at after a retryable failure); sending: claimed under a lease; accepted by the platform; failed: a permanent error; dead: retries used up (an operator may retry). */
export const OUTBOX_STATES = ["queued", "sending", "accepted", "failed", "dead"] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
/** What the end user's platform reported; it only ever moves forward (failed may end any of them but read). */
export const DELIVERY_STATUSES = ["queued", "sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Every reply to a messaging channel, written in the same transaction as the stored outbound message and
 * sent by the delivery workers in `sequence` order per conversation.
 */
export const outboxMessages = pgTable(
  "outbox_messages",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id, { onDelete: "cascade" }),
    /** The stored outbound message this row delivers. */
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    /** The message's sequence in its conversation: the delivery order. */
    sequence: integer("sequence").notNull(),
    /** Where it goes (server/channels/delivery-address.ts). */
    address: jsonb("address").$type<Record<string, unknown>>().notNull(),
    /** The bot message (server/flows/bot-message.ts) or an agent's text, as `{ type: "text", text }`. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    lastErrorCode: text("last_error_code"),
    /** The platform's id for the sent message (wamid, Slack ts, Messenger mid, bridge message_id): status callbacks name it. */
    providerMessageId: text("provider_message_id"),
    deliveryStatus: text("delivery_status", { enum: DELIVERY_STATUSES }).notNull().default("queued"),
    /** The platform's timestamp of the latest status applied. */
    deliveryStatusAt: timestamp("delivery_status_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outbox_messages_message_key").on(t.messageId),
    index("outbox_messages_conversation_sequence_idx").on(t.conversationId, t.sequence),
    index("outbox_messages_due_idx").on(t.nextAttemptAt).where(sql`state in ('queued', 'sending')`),
    index("outbox_messages_tenant_state_idx").on(t.tenantId, t.state).where(sql`state in ('failed', 'dead')`),
    index("outbox_messages_provider_id_idx").on(t.channelId, t.providerMessageId),
  ],
);

export const ATTACHMENT_STORAGES = ["local", "s3"] as const;

/** A file a widget visitor uploaded; the bytes live on local disk (under .data/) or in an S3-compatible bucket. */
export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    /** The uploader's end-user id (as on their conversations). */
    endUserId: text("end_user_id").notNull(),
    storage: text("storage", { enum: ATTACHMENT_STORAGES }).notNull(),
    storageKey: text("storage_key").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    filename: text("filename").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_tenant_created_idx").on(t.tenantId, t.createdAt)],
);
