import { and, count, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { conversations, messages, usageCounters } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { findLiveFlowVersion } from "../flow-store/flow-service";
import type { InboundMessage } from "./message-schema";

export type ConversationRow = typeof conversations.$inferSelect;

const CONTINUE_WITHIN_MS = 24 * 60 * 60 * 1000;

/**
 * Finds or creates the conversation and holds its row lock until the transaction ends,
 * so turns of one conversation run one at a time, in arrival order, across processes.
 */
export async function lockConversation(tx: Db, tenantId: string, input: InboundMessage, now: Date): Promise<{ conversation: ConversationRow; isNew: boolean }> {
  if (input.conversation_id) {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, input.conversation_id), eq(conversations.tenantId, tenantId)))
      .for("update");
    if (!row) throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
    return { conversation: row, isNew: false };
  }
  // Two first messages from one user must not open two conversations.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${tenantId}:${input.channel}:${input.user_id}`}, 0))`);
  const [recent] = await tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.tenantId, tenantId),
        eq(conversations.endUserId, input.user_id),
        eq(conversations.channel, input.channel),
        eq(conversations.status, "in_progress"),
        gt(conversations.updatedAt, new Date(now.getTime() - CONTINUE_WITHIN_MS)),
      ),
    )
    .orderBy(desc(conversations.updatedAt))
    .limit(1)
    .for("update");
  if (recent) return { conversation: recent, isNew: false };
  const live = await findLiveFlowVersion(tx, tenantId);
  const [created] = await tx
    .insert(conversations)
    .values({ tenantId, endUserId: input.user_id, sessionId: input.session_id ?? null, channel: input.channel, flowVersionId: live?.versionId ?? null, createdAt: now, updatedAt: now })
    .returning();
  return { conversation: created!, isNew: true };
}

export async function countPriorConversations(tx: Db, tenantId: string, endUserId: string, excludeId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, endUserId), sql`${conversations.id} <> ${excludeId}`));
  return Number(row?.n ?? 0);
}

/** The stored answer to an inbound message id, for idempotent redelivery. */
export async function findStoredResult(db: Db, tenantId: string, messageId: string): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ metadata: messages.metadata })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, messageId), eq(messages.direction, "inbound")))
    .limit(1);
  return (row?.metadata.result as Record<string, unknown> | undefined) ?? null;
}

export async function bumpUsage(tx: Db, tenantId: string, metric: string, by: number, now: Date): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  await tx
    .insert(usageCounters)
    .values({ tenantId, metric, day, value: by })
    .onConflictDoUpdate({ target: [usageCounters.tenantId, usageCounters.metric, usageCounters.day], set: { value: sql`${usageCounters.value} + ${by}` } });
}
