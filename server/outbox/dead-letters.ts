import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, outboxMessages } from "@/db/schema";
import { botMessageSchema } from "../flows/bot-message";
import { recordAudit } from "../tenants/audit";
import { wakeDeliveryWorkers } from "./wake";

/** The audit row names at most this many of the retried messages (a "Retry all" may requeue thousands). */
const AUDITED_IDS = 100;

const PREVIEW_LENGTH = 120;

/**
 * Replies that will not be sent without an operator: "dead" (retries used up on a platform that kept
 * failing) and "failed" (a permanent error such as revoked credentials or a closed customer-service window).
 * Both are listed and both can be retried: a permanent error is usually fixed outside the product (a new
 * access token), after which the same reply should go out; one that still cannot be sent fails again, once.
 * A retried reply goes out after any later ones its conversation already sent: the operator chose to send it.
 */
const UNSENT = ["dead", "failed"] as const;

function preview(payload: unknown): string {
  const parsed = botMessageSchema.safeParse(payload);
  const text = parsed.success ? parsed.data.text : "";
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}

export type DeadLetter = {
  id: string;
  conversationId: string;
  channelType: (typeof channels.$inferSelect)["type"];
  state: (typeof UNSENT)[number];
  reason: string | null;
  code: string | null;
  attempts: number;
  createdAt: Date;
  preview: string;
};

/** The tenant's unsent replies, newest first. */
export async function listDeadLetters(db: Db, tenantId: string, opts: { limit: number }): Promise<DeadLetter[]> {
  const rows = await db
    .select({
      id: outboxMessages.id,
      conversationId: outboxMessages.conversationId,
      channelType: channels.type,
      state: outboxMessages.state,
      reason: outboxMessages.lastError,
      code: outboxMessages.lastErrorCode,
      attempts: outboxMessages.attempts,
      createdAt: outboxMessages.createdAt,
      payload: outboxMessages.payload,
    })
    .from(outboxMessages)
    .innerJoin(channels, and(eq(channels.id, outboxMessages.channelId), eq(channels.tenantId, tenantId)))
    .where(and(eq(outboxMessages.tenantId, tenantId), inArray(outboxMessages.state, UNSENT)))
    .orderBy(desc(outboxMessages.createdAt))
    .limit(opts.limit);
  return rows.map(({ payload, state, ...row }) => ({ ...row, state: state as DeadLetter["state"], preview: preview(payload) }));
}

/** Who asked (an operator's user id; none from the CLI) and when. */
export type RetryOptions = { ids?: string[]; actorUserId?: string | null; via?: "dashboard" | "cli"; now?: Date };

/**
 * Queues the tenant's unsent replies again (all of them, or those of `ids`) with a fresh set of attempts,
 * and records who did it in the audit log, in one transaction. Ids of another tenant's rows match
 * nothing. Returns how many were queued.
 */
export async function retryDeadLetters(db: Db, tenantId: string, { ids, actorUserId = null, via = "dashboard", now = new Date() }: RetryOptions = {}): Promise<number> {
  if (ids && ids.length === 0) return 0;
  const requeued = await db.transaction(async (tx) => {
    const rows = await tx
      .update(outboxMessages)
      .set({
        state: "queued",
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        lastError: null,
        lastErrorCode: null,
        deliveryStatus: "queued",
        deliveryStatusAt: null,
        updatedAt: now,
      })
      .where(and(eq(outboxMessages.tenantId, tenantId), inArray(outboxMessages.state, UNSENT), ids ? inArray(outboxMessages.id, ids) : undefined))
      .returning({ id: outboxMessages.id });
    if (rows.length) {
      await recordAudit(tx, { tenantId, actorUserId, action: "outbox.retried", targetType: "outbox_message", ...(rows.length === 1 && { targetId: rows[0]!.id }), details: { count: rows.length, scope: ids ? "selected" : "all", via, ids: rows.slice(0, AUDITED_IDS).map((r) => r.id) } });
    }
    return rows;
  });
  if (requeued.length) wakeDeliveryWorkers("outbox");
  return requeued.length;
}
