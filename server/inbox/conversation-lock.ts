import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { conversationEvents, conversations, messages, type ConversationEventKind, type ConversationStatus } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { conversationStateSchema, type ConversationState } from "../flows/conversation-state";

/** A conversation row held FOR UPDATE until the transaction ends: every change of one conversation runs one at a time, across processes. */
export type LockedConversation = {
  id: string;
  tenantId: string;
  status: ConversationStatus;
  assignedTo: string | null;
  state: ConversationState | null;
  flowVersionId: string | null;
  channel: (typeof conversations.$inferSelect)["channel"];
  lastSequence: number;
  statusChangedAt: Date;
};

const lockedColumns = {
  id: conversations.id,
  tenantId: conversations.tenantId,
  status: conversations.status,
  assignedTo: conversations.assignedTo,
  state: conversations.state,
  flowVersionId: conversations.flowVersionId,
  channel: conversations.channel,
  lastSequence: conversations.lastSequence,
  statusChangedAt: conversations.statusChangedAt,
};

const notFound = () => new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });

/**
 * Locks the tenant's conversation. `where` narrows it further (the away timer's re-check), and `skipLocked`
 * passes over a row another transaction holds: both then answer null instead of waiting or refusing.
 */
async function lockRow(tx: Db, tenantId: string, conversationId: string, opts: { where?: SQL; skipLocked?: boolean }): Promise<LockedConversation | null> {
  // A malformed id names no conversation; Postgres would refuse the cast as an internal error.
  if (!z.uuid().safeParse(conversationId).success) return null;
  const [row] = await tx
    .select(lockedColumns)
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId), opts.where))
    .for("update", opts.skipLocked ? { skipLocked: true } : {});
  if (!row) return null;
  return { ...row, state: row.state === null ? null : conversationStateSchema.parse(row.state) };
}

/** The tenant's conversation, locked; another tenant's id is "not found" exactly like a missing one. */
export async function lockConversation(tx: Db, tenantId: string, conversationId: string): Promise<LockedConversation> {
  const row = await lockRow(tx, tenantId, conversationId, {});
  if (!row) throw notFound();
  return row;
}

/** Locks the conversation only if nobody holds it and `where` still holds once locked; null otherwise. */
export function lockIfStill(tx: Db, tenantId: string, conversationId: string, where: SQL): Promise<LockedConversation | null> {
  return lockRow(tx, tenantId, conversationId, { where, skipLocked: true });
}

export type NewOutboundMessage = { text: string; metadata: Record<string, unknown> };
/** `id` is given when the caller answers with the event (a note). */
export type NewEvent = { id?: string; kind: ConversationEventKind; actorUserId: string | null; actorLabel: string; note?: string; detail?: Record<string, unknown>; fromStatus?: ConversationStatus; toStatus?: ConversationStatus };

export type ConversationChange = {
  status?: ConversationStatus;
  assignedTo?: string;
  state?: ConversationState;
  /** Sets handed_off_at once: the first handoff is the one analytics measure from. */
  handedOff?: boolean;
  /** Sets first_human_reply_at once. */
  humanReplied?: boolean;
  resolved?: boolean;
  /** A text message to the end user, stored on the conversation's channel with the next sequence. */
  message?: NewOutboundMessage;
  /** A status change's event gets from/to statuses from the change unless it names its own. */
  events?: NewEvent[];
};

export type StoredOutbound = { id: string; sequence: number; createdAt: Date };

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/**
 * Writes one change of a locked conversation: its row (updated_at always, status_changed_at when the status
 * changes, the next sequence when a message is added), the message, and the events. The inbox orders by
 * updated_at and the analytics refresh finds changed conversations by it, so every change bumps it.
 */
export async function applyChange(tx: Db, c: LockedConversation, change: ConversationChange, now: Date): Promise<StoredOutbound | null> {
  const statusChanges = change.status !== undefined && change.status !== c.status;
  const sequence = c.lastSequence + 1;
  let stored: StoredOutbound | null = null;
  if (change.message) {
    const { text, metadata } = change.message;
    const [row] = await tx
      .insert(messages)
      .values({ tenantId: c.tenantId, conversationId: c.id, sequence, direction: "outbound", channel: c.channel, contentType: "text", content: { type: "text", text }, text, metadata, createdAt: now })
      .returning({ id: messages.id, sequence: messages.sequence, createdAt: messages.createdAt });
    stored = row!;
  }
  await tx
    .update(conversations)
    .set({
      updatedAt: now,
      ...(statusChanges && { status: change.status, statusChangedAt: now }),
      ...(change.assignedTo !== undefined && { assignedTo: change.assignedTo }),
      ...(change.state && { state: change.state }),
      ...(change.handedOff && { handedOffAt: sql`coalesce(${conversations.handedOffAt}, ${at(now)})` }),
      ...(change.humanReplied && { firstHumanReplyAt: sql`coalesce(${conversations.firstHumanReplyAt}, ${at(now)})` }),
      ...(change.resolved && { resolvedAt: now }),
      ...(stored && { lastSequence: sequence, messageCount: sql`${conversations.messageCount} + 1` }),
    })
    .where(and(eq(conversations.id, c.id), eq(conversations.tenantId, c.tenantId)));
  const events = change.events ?? [];
  if (events.length > 0) {
    await tx.insert(conversationEvents).values(
      events.map((e) => ({
        ...(e.id && { id: e.id }),
        tenantId: c.tenantId,
        conversationId: c.id,
        kind: e.kind,
        fromStatus: e.fromStatus ?? (statusChanges ? c.status : null),
        toStatus: e.toStatus ?? (statusChanges ? change.status : null),
        actorUserId: e.actorUserId,
        actorLabel: e.actorLabel,
        note: e.note ?? null,
        detail: e.detail ?? {},
        createdAt: now,
      })),
    );
  }
  return stored;
}
