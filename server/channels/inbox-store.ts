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
import { seenConversationSql } from "../pipeline/seen-conversation";
import { groupCalls, groupedPerKey } from "@/db/group-calls";
import { isConnectionError } from "@/db/pg-session";

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

type StoreCall = { channel: WebhookChannel; events: InboundEvent[] };

/** The channel changed (or is gone) since the caller read it: its events were not stored, and must be authenticated again. */
export class ChannelChanged extends Error {}

/**
 * One insert for a group of webhooks (db/group-calls.ts): the rows travel as one JSON array, so the
 * statement's text is the same for any group and stays prepared. `received_at` is the statement's time plus
 * the row's place in the group in microseconds, so the events of one webhook, and webhooks stored together,
 * keep their order (the processor runs a user's messages in it). A row is stored only while its channel is
 * as the caller read it (its updated_at, to the millisecond a Date keeps): a webhook authenticated with
 * secrets or settings that changed meanwhile stores nothing and is told so.
 */
async function insertGroup(db: Db, calls: StoreCall[]): Promise<(number | ChannelChanged)[]> {
  const rows = calls.flatMap(({ channel, events }) => events.map((event) => ({ c: channel.id, u: channel.updatedAt.toISOString(), x: event.externalId, k: event.kind, p: event })));
  const answered = await queryRows<{ c: string; x: string | null }>(
    db,
    sql`with e as (select r, n from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as e(r, n)),
      current as (select e.r, e.n, ch.tenant_id from e join channels ch on ch.id = (e.r->>'c')::uuid and date_trunc('milliseconds', ch.updated_at) = (e.r->>'u')::timestamptz),
      inserted as (
        insert into webhook_inbox (tenant_id, channel_id, external_id, kind, payload, received_at, next_attempt_at)
        select tenant_id, (r->>'c')::uuid, r->>'x', r->>'k', r->'p',
          now() + (n - 1) * interval '1 microsecond',
          -- Due at once for a worker whose clock reads milliseconds (a JS Date), even within this same millisecond.
          date_trunc('milliseconds', now())
        from current
        on conflict (channel_id, external_id) do nothing
        returning channel_id as c, external_id as x)
      select c::text, x from inserted
      union all select distinct r->>'c', null from current`,
  );
  // A redelivered event is new for at most one caller: the first in the group that carries it.
  const fresh = new Set(answered.filter((r) => r.x !== null).map((r) => `${r.c} ${r.x}`));
  const current = new Set(answered.filter((r) => r.x === null).map((r) => r.c));
  return calls.map(({ channel, events }) =>
    events.length && !current.has(channel.id) ? new ChannelChanged(`channel ${channel.id} changed`) : events.filter((event) => fresh.delete(`${channel.id} ${event.externalId}`)).length,
  );
}

// An unreachable database fails the whole group at once: retrying its webhooks one by one would only fail each again.
const storeGrouped = groupedPerKey((db: Db) => groupCalls((calls: StoreCall[]) => insertGroup(db, calls), 500, isConnectionError));

/**
 * Stores a webhook's events; a redelivered event (same channel and external id) is a no-op. Returns how
 * many rows are new; throws ChannelChanged when the channel is no longer as `channel` says. Webhooks arriving
 * while another group's insert is out are stored together in one statement, so a burst of acks costs
 * Postgres one commit per group rather than one per webhook.
 */
export async function storeInboxEvents(db: Db, channel: WebhookChannel, events: InboundEvent[]): Promise<number> {
  if (!events.length) return 0;
  const stored = await storeGrouped(db, { channel, events });
  if (stored instanceof ChannelChanged) throw stored;
  return stored;
}

export type ClaimedInboxRow = {
  id: string;
  tenantId: string;
  channelId: string;
  channelType: string;
  kind: string;
  payload: unknown;
  attempts: number;
  /** On a first claim, how long the event waited since it was stored, by the database's clock (channels/ingress-pressure.ts); null once it was put back (a retry or a held-back message). */
  waitedMs: number | null;
  /** A message's end user's conversations as the claim saw them (pipeline/seen-conversation.ts), unparsed; null for other events. */
  seen: unknown;
};

/**
 * Claims up to `limit` due rows in one statement, safe with several worker processes (SKIP LOCKED). A claim
 * moves next_attempt_at to the lease's end, so "due" is one range on webhook_inbox_due_idx for a pending row
 * whose time has come and a processing row whose worker died. Rows are taken in that index's order (a new
 * row is due when it arrives), so a claim walks the index and stops at `limit`: with thousands waiting it
 * reads a few rows, where ordering by arrival sorted the whole backlog on every claim.
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
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      )
      returning w.id, w.tenant_id as "tenantId", w.channel_id as "channelId", c.type as "channelType", w.kind, w.payload, w.attempts,
        case when w.attempts = 1 and w.last_error is null then (extract(epoch from clock_timestamp() - w.received_at) * 1000)::float8 end as "waitedMs",
        case when w.kind = 'message' then ${seenConversationSql({ tenant: sql`w.tenant_id`, user: sql`(w.payload->>'userId')`, channel: sql`c.type` }, now)} end as seen`;
}

/** `running`: rows this worker is still running, never claimed again by it (see outbox/claim.ts notRunning). */
export function claimInboxRows(db: Db, now: Date, limit: number, running: readonly string[] = []): Promise<ClaimedInboxRow[]> {
  return queryRows<ClaimedInboxRow>(db, claimInboxStatement(now, limit, running));
}

// Each outcome is written only while the row is still this claim's (same attempt): a worker that lost its
// lease to another cannot overwrite the newer claim's result.
const stillClaimed = (row: ClaimedInboxRow) => and(eq(webhookInbox.id, row.id), eq(webhookInbox.state, "processing"), eq(webhookInbox.attempts, row.attempts));

/** The row is done, if it is still this claim's; also committed inside a turn's own write (processMessage `settles`). */
export const inboxDoneStatement = (row: ClaimedInboxRow, now: Date): SQL =>
  sql`update webhook_inbox set state = 'done', processed_at = ${now.toISOString()}::timestamptz, lease_until = null, last_error = null
      where id = ${row.id}::uuid and state = 'processing' and attempts = ${row.attempts}::int`;

export async function markInboxDone(db: Db, row: ClaimedInboxRow, now: Date): Promise<void> {
  await db.execute(inboxDoneStatement(row, now));
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
