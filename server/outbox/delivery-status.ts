import { and, eq, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import type { DeliveryStatusUpdate } from "../channels/adapters/types";

type PlatformStatus = DeliveryStatusUpdate["status"];

/** queued < sent < delivered < read; failed sits outside the order (see advances). */
const RANK = { queued: 0, sent: 1, delivered: 2, read: 3 } as const;
const storedRank = sql`(case ${outboxMessages.deliveryStatus} when 'sent' then 1 when 'delivered' then 2 when 'read' then 3 else 0 end)`;

/**
 * The condition under which `status` may replace the stored one, checked inside the update itself so two
 * callbacks racing each other cannot move a message backwards. A failure ends anything but a read message
 * (a read message plainly arrived); nothing follows a failure. The same status is taken once more when only
 * the worker set it (its "sent" carries no platform timestamp), so the platform's own time is kept.
 */
function advances(status: PlatformStatus): SQL {
  const current = outboxMessages.deliveryStatus;
  if (status === "failed") return sql`${current} not in ('read', 'failed')`;
  return sql`${current} <> 'failed' and (${storedRank} < ${RANK[status]} or (${current} = ${status} and ${outboxMessages.deliveryStatusAt} is null))`;
}

function statusValues(status: PlatformStatus, at: Date, reason?: string) {
  return {
    deliveryStatus: status,
    deliveryStatusAt: at,
    updatedAt: new Date(),
    // The platform's reason is what the tenant is shown for a message that failed after it was sent.
    ...(status === "failed" ? { lastError: reason ?? "The platform reported the message as not delivered." } : {}),
  };
}

export type StatusOutcome = "applied" | "stale" | "unknown";

/**
 * Applies a platform's status callback to the message it names. "unknown": no sent message has that id
 * (yet: a fast platform's callback can overtake the worker's own "accepted" write, so the caller should keep
 * the event and try again later rather than drop it); "stale": it would move the status backwards.
 */
export async function applyDeliveryStatusOutcome(db: Db, update: DeliveryStatusUpdate): Promise<StatusOutcome> {
  const target = and(eq(outboxMessages.channelId, update.channelId), eq(outboxMessages.providerMessageId, update.providerMessageId));
  const applied = await db
    .update(outboxMessages)
    .set(statusValues(update.status, new Date(update.at), update.reason))
    .where(and(target, advances(update.status)))
    .returning({ id: outboxMessages.id });
  if (applied.length) return "applied";
  const [known] = await db.select({ id: outboxMessages.id }).from(outboxMessages).where(target).limit(1);
  return known ? "stale" : "unknown";
}

/** True if the status was applied; a status never moves backwards (a late "delivered" after "read" is ignored). */
export async function applyDeliveryStatus(db: Db, update: DeliveryStatusUpdate): Promise<boolean> {
  return (await applyDeliveryStatusOutcome(db, update)) === "applied";
}

/**
 * Messenger reports delivery and reading as a watermark: every message to that recipient sent at or before
 * `before` has reached that status. Returns how many messages moved.
 */
export async function applyWatermarkStatus(
  db: Db,
  mark: { channelId: string; recipient: string; status: "delivered" | "read"; before: string },
): Promise<number> {
  const before = new Date(mark.before);
  const moved = await db
    .update(outboxMessages)
    .set(statusValues(mark.status, before))
    .where(
      and(
        eq(outboxMessages.channelId, mark.channelId),
        eq(outboxMessages.state, "accepted"),
        sql`${outboxMessages.address}->>'recipient' = ${mark.recipient}`,
        lte(outboxMessages.acceptedAt, before),
        advances(mark.status),
      ),
    )
    .returning({ id: outboxMessages.id });
  return moved.length;
}

/**
 * The status a send's own "accepted" write leaves: "sent", unless a callback already moved the message
 * further (a status never moves backwards, even past the worker that sent it).
 */
export const sentUnlessFurther = sql`(case when ${outboxMessages.deliveryStatus} in ('delivered', 'read', 'failed') then ${outboxMessages.deliveryStatus} else 'sent' end)`;
