import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import { adapterFor as registryAdapterFor, isMessagingChannel, type MessagingChannelType } from "../channels/adapters";
import { DeliveryError, type ChannelAdapter, type SendContext } from "../channels/adapters/types";
import { withOpenedSecrets, type WebhookChannel } from "../channels/channel-service";
import { deliveryAddressSchema } from "../channels/delivery-address";
import { botMessageSchema } from "../flows/bot-message";
import { claimDueRows, LEASE_MS, type ClaimedRow } from "./claim";
import { recordOutcome, type SendOutcome } from "./record-outcome";

/** Under the lease, so a worker that is still sending never has its row taken by another. */
const SEND_DEADLINE_MS = LEASE_MS - 10_000;
const DEFAULT_BATCH = 32;
/** Sends in flight at once; rows of one conversation are never among them together (see claim.ts). */
export const CONCURRENCY = 8;

export type DeliverOptions = {
  now?: Date;
  adapterFor?: (type: MessagingChannelType) => Promise<ChannelAdapter>;
  limit?: number;
  /** For the retry jitter; tests pin it. */
  random?: () => number;
  /** How long a send may take (SEND_DEADLINE_MS); tests shorten it. */
  deadlineMs?: number;
};

const permanent = (code: string, reason: string) => new DeliveryError("permanent", code, reason);

/** The tenant's channel by id, secrets opened; a channel turned off holds no sends (an operator can retry them). */
async function loadChannel(db: Db, tenantId: string, channelId: string): Promise<WebhookChannel> {
  const [row] = await db.select().from(channels).where(and(eq(channels.id, channelId), eq(channels.tenantId, tenantId))).limit(1);
  if (!row) throw permanent("channel_missing", "The channel this reply was for no longer exists.");
  if (!row.enabled) throw permanent("channel_disabled", `The ${row.type} channel is turned off.`);
  return withOpenedSecrets(row);
}

/** The row's stored address and message, parsed with the schemas that wrote them. */
function parsedRow(row: ClaimedRow) {
  const address = deliveryAddressSchema.safeParse(row.address);
  const message = botMessageSchema.safeParse(row.payload);
  if (!address.success || !message.success) throw permanent("invalid_row", "The stored reply could not be read, so it was not sent.");
  return { address: address.data, message: message.data };
}

async function withDeadline<T>(deadlineMs: number, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as signalled: an adapter that ignores its signal must not hold the row past its lease.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeliveryError("retryable", "timeout", `The platform did not answer within ${deadlineMs / 1000} s.`));
    }, deadlineMs);
  });
  try {
    return await Promise.race([send(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type SendOptions = Required<Pick<DeliverOptions, "adapterFor" | "deadlineMs">> & { now: Date; channelOf: (row: ClaimedRow) => Promise<WebhookChannel> };

async function send(row: ClaimedRow, opts: SendOptions): Promise<SendOutcome> {
  try {
    const { address, message } = parsedRow(row);
    const channel = await opts.channelOf(row);
    if (!isMessagingChannel(channel.type)) throw permanent("not_messaging", "Replies on this channel are not sent through the outbox.");
    const adapter = await opts.adapterFor(channel.type);
    const lastInboundAt = row.lastInboundAt === null ? null : new Date(row.lastInboundAt);
    const ctx: Omit<SendContext, "signal"> = { channel, address, message, lastInboundAt, now: opts.now };
    const result = await withDeadline(opts.deadlineMs, (signal) => adapter.send({ ...ctx, signal }));
    return { kind: "accepted", providerMessageId: result.providerMessageId };
  } catch (error) {
    if (error instanceof DeliveryError) return { kind: error.kind, code: error.code, reason: error.reason, retryAfterMs: error.retryAfterMs };
    console.error(`[outbox] sending ${row.id} failed unexpectedly; it will be retried`, error);
    return { kind: "retryable", code: "internal", reason: "Sending failed unexpectedly; it will be retried." };
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Claimed rows with the channel loader they share. */
export type ClaimedDeliveries = { rows: ClaimedRow[]; channelOf: (row: ClaimedRow) => Promise<WebhookChannel> };

const MAX_LOADED_CHANNELS = 1_000;
/**
 * Channels this process loaded for sending, by tenant and id, with the `updated_at` they were loaded at. A
 * claim reads each row's channel `updated_at` (claim.ts), and a channel is loaded again only once it changed
 * (every change goes through upsertChannel, which sets it): a busy channel's replies do not each read and
 * decrypt it, and a channel turned off holds the very next claim's sends.
 */
const loadedChannels = new Map<string, { updatedAt: number; channel: Promise<WebhookChannel> }>();

const timeOf = (at: Date | string | null) => (at === null ? Number.NaN : new Date(at).getTime());

/** Claims up to `limit` due replies (see claim.ts: never two of one conversation, never one of `running` again). */
export async function claimDeliveries(db: Db, now: Date, limit: number, running: readonly string[] = []): Promise<ClaimedDeliveries> {
  const rows = await claimDueRows(db, now, limit, running);
  const channelOf = (row: ClaimedRow) => {
    const key = `${row.tenantId}:${row.channelId}`;
    const updatedAt = timeOf(row.channelUpdatedAt);
    const known = loadedChannels.get(key);
    if (known && known.updatedAt === updatedAt) return known.channel;
    const channel = loadChannel(db, row.tenantId, row.channelId);
    // A channel that is gone, or failed to load, is read again by the next send.
    loadedChannels.delete(key);
    if (!Number.isNaN(updatedAt)) {
      if (loadedChannels.size >= MAX_LOADED_CHANNELS) loadedChannels.delete(loadedChannels.keys().next().value!);
      loadedChannels.set(key, { updatedAt, channel });
      channel.catch(() => loadedChannels.get(key)?.channel === channel && loadedChannels.delete(key));
    }
    return channel;
  };
  return { rows, channelOf };
}

/** Sends one claimed reply to its platform and records the outcome in one statement. */
export async function deliverRow(db: Db, row: ClaimedRow, claimed: ClaimedDeliveries, opts: DeliverOptions & { now: Date }): Promise<void> {
  const outcome = await send(row, { adapterFor: opts.adapterFor ?? registryAdapterFor, deadlineMs: opts.deadlineMs ?? SEND_DEADLINE_MS, now: opts.now, channelOf: claimed.channelOf });
  await recordOutcome(db, row, outcome, opts.now, opts.random);
}

/**
 * Claims due replies and sends each to its platform, recording the outcome in one statement per row:
 * accepted, queued again after a backoff, failed (permanent) or dead (retries used up). Returns how many
 * rows it claimed. The delivery workers keep a pool of sends going instead (worker.ts); this is one round
 * of it, for the CLI and the tests.
 */
export async function deliverOutboxBatch(db: Db, opts: DeliverOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const claimed = await claimDeliveries(db, now, opts.limit ?? DEFAULT_BATCH);
  await forEachBounded(claimed.rows, CONCURRENCY, (row) => deliverRow(db, row, claimed, { ...opts, now }));
  return claimed.rows.length;
}
