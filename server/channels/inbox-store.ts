import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { DELIVERY_STATUSES, webhookInbox } from "@/db/schema";
import { messageContentSchema } from "../pipeline/message-schema";
import type { InboundEvent } from "./adapters/types";
import type { WebhookChannel } from "./channel-service";
import { deliveryAddressSchema } from "./delivery-address";
import { notRunning } from "../outbox/claim";

/** How long a claimed row is its worker's; a turn is far shorter, so only a dead worker loses its row. */
export const INBOX_LEASE_MS = 60_000;

/** The stored payload (an adapter's InboundEvent), parsed when read back: a row is only run as what it says it is. */
export const inboxEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    externalId: z.string().min(1),
    userId: z.string().min(1),
    content: messageContentSchema,
    channelMetadata: z.record(z.string(), z.unknown()),
    address: deliveryAddressSchema,
    sentAt: z.string(),
  }),
  z.object({
    kind: z.literal("status"),
    externalId: z.string().min(1),
    update: z.object({
      channelId: z.uuid(),
      providerMessageId: z.string().min(1),
      status: z.enum(DELIVERY_STATUSES).exclude(["queued"]),
      at: z.string(),
      reason: z.string().optional(),
    }),
  }),
  z.object({
    kind: z.literal("watermark"),
    externalId: z.string().min(1),
    watermark: z.object({ channelId: z.uuid(), recipient: z.string().min(1), status: z.enum(["delivered", "read"]), before: z.string() }),
  }),
]);

/**
 * Stores a webhook's events in one statement; a redelivered event (same channel and external id) is a
 * no-op. Returns how many rows are new. `received_at` is the transaction's time plus the event's index in
 * microseconds, so the events of one webhook keep their order (the processor runs a user's messages in it).
 */
export async function storeInboxEvents(db: Db, channel: WebhookChannel, events: InboundEvent[]): Promise<number> {
  if (!events.length) return 0;
  const inserted = await db
    .insert(webhookInbox)
    .values(
      events.map((event, i) => ({
        tenantId: channel.tenantId,
        channelId: channel.id,
        externalId: event.externalId,
        kind: event.kind,
        payload: event as unknown as Record<string, unknown>,
        receivedAt: sql`now() + ${i} * interval '1 microsecond'`,
        // Due at once for a worker whose clock reads milliseconds (a JS Date), even within this same millisecond.
        nextAttemptAt: sql`date_trunc('milliseconds', now())`,
      })),
    )
    .onConflictDoNothing({ target: [webhookInbox.channelId, webhookInbox.externalId] })
    .returning({ id: webhookInbox.id });
  return inserted.length;
}

export type ClaimedInboxRow = { id: string; tenantId: string; channelId: string; channelType: string; kind: string; payload: unknown; attempts: number };

/**
 * Claims up to `limit` due rows in one statement, safe with several worker processes (SKIP LOCKED). A claim
 * moves next_attempt_at to the lease's end, so "due" is one range on webhook_inbox_due_idx for a pending row
 * whose time has come and a processing row whose worker died.
 *
 * One end user's messages run in arrival order: a message is due only if no earlier message of the same
 * user on the channel is still pending or processing, so at most one per user is in flight. Failed rows
 * do not block later ones. Status events have no order to keep.
 */
export function claimInboxStatement(now: Date, limit: number, running: readonly string[] = []): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const leaseUntil = sql`${new Date(now.getTime() + INBOX_LEASE_MS).toISOString()}::timestamptz`;
  return sql`update webhook_inbox w
      set state = 'processing', lease_until = ${leaseUntil}, next_attempt_at = ${leaseUntil}, attempts = w.attempts + 1
      from channels c
      where c.id = w.channel_id and w.id in (
        select d.id from webhook_inbox d
        where d.state in ('pending', 'processing') and d.next_attempt_at <= ${at} ${notRunning(sql`d.id`, running)}
          and (d.kind <> 'message' or not exists (
            select 1 from webhook_inbox e
            where e.state in ('pending', 'processing') and e.channel_id = d.channel_id and e.kind = 'message'
              and e.payload->>'userId' = d.payload->>'userId'
              and (e.received_at, e.id) < (d.received_at, d.id)
          ))
        order by d.received_at, d.id
        limit ${limit}
        for update of d skip locked
      )
      returning w.id, w.tenant_id as "tenantId", w.channel_id as "channelId", c.type as "channelType", w.kind, w.payload, w.attempts`;
}

/** `running`: rows this worker is still running, never claimed again by it (see outbox/claim.ts notRunning). */
export function claimInboxRows(db: Db, now: Date, limit: number, running: readonly string[] = []): Promise<ClaimedInboxRow[]> {
  return queryRows<ClaimedInboxRow>(db, claimInboxStatement(now, limit, running));
}

// Each outcome is written only while the row is still this claim's (same attempt): a worker that lost its
// lease to another cannot overwrite the newer claim's result.
const stillClaimed = (row: ClaimedInboxRow) => and(eq(webhookInbox.id, row.id), eq(webhookInbox.state, "processing"), eq(webhookInbox.attempts, row.attempts));

export async function markInboxDone(db: Db, row: ClaimedInboxRow, now: Date): Promise<void> {
  await db.update(webhookInbox).set({ state: "done", processedAt: now, leaseUntil: null, lastError: null }).where(stillClaimed(row));
}

/** Back to pending, due at `at`; the error is kept for the dashboard and the log. `uncount`: this attempt does not count towards giving up. */
export async function rescheduleInbox(db: Db, row: ClaimedInboxRow, at: Date, error: string, opts: { uncount?: boolean } = {}): Promise<void> {
  const attempts = opts.uncount ? { attempts: sql`${webhookInbox.attempts} - 1` } : {};
  await db.update(webhookInbox).set({ state: "pending", nextAttemptAt: at, leaseUntil: null, lastError: error, ...attempts }).where(stillClaimed(row));
}

/** Given up: kept with its reason, never claimed again. */
export async function failInbox(db: Db, row: ClaimedInboxRow, now: Date, error: string): Promise<void> {
  await db.update(webhookInbox).set({ state: "failed", processedAt: now, leaseUntil: null, lastError: error }).where(stillClaimed(row));
}
