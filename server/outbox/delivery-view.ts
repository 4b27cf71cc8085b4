import { and, eq } from "drizzle-orm";
import { messages, outboxMessages } from "@/db/schema";

/**
 * How reads show a reply's delivery: a reply to a messaging channel has an outbox row, whose status the
 * workers and the platform's callbacks keep current; web-widget and API replies have none and keep the
 * status stored with the message. Joined on the outbox's unique message_id, tenant-scoped.
 */
export const outboxJoin = (tenantId: string) => and(eq(outboxMessages.messageId, messages.id), eq(outboxMessages.tenantId, tenantId));

export const outboxColumns = { outboxStatus: outboxMessages.deliveryStatus, outboxError: outboxMessages.lastError };

export type OutboxColumns = { outboxStatus: string | null; outboxError: string | null };

/** The status to show: the outbox row's when there is one, else what the message stored. */
export const deliveryStatusOf = (row: OutboxColumns, stored: string | null): string | null => row.outboxStatus ?? stored;

/** Why a reply did not arrive (the platform's or the worker's reason), only once it has failed. */
export const deliveryErrorOf = (row: OutboxColumns): string | null => (row.outboxStatus === "failed" ? row.outboxError : null);
