import { ZodError } from "zod";
import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { applyDeliveryStatusOutcome, applyWatermarkStatus } from "../outbox/delivery-status";
import type { PipelineDeps } from "../pipeline/process-message";
import { isMessagingChannel } from "./adapters";
import { seenConversationSchema } from "../pipeline/seen-conversation";
import { receiveInbound } from "./inbound";
import { claimInboxRows, failInbox, inboxDoneStatement, inboxEventSchema, markInboxDone, rescheduleInbox, type ClaimedInboxRow } from "./inbox-store";

/** Attempts before a row is given up (failed, with its last error). */
export const MAX_INBOX_ATTEMPTS = 5;
/** A status callback can overtake the worker's own "accepted" write; it waits this long for it. */
const UNKNOWN_STATUS_RETRY_MS = 2_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const TOO_FAST = "This end user is sending messages too fast.";
/** last_error is for the operator; a driver's message can be long. */
const MAX_ERROR_LENGTH = 500;

const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 2_000 * 2 ** (attempts - 1));

/** Refusals that a later attempt cannot change (the message itself is unacceptable). */
const isPermanent = (error: unknown) => error instanceof AppError && error.httpStatus >= 400 && error.httpStatus < 500 && error.code !== "RATE_LIMITED";

async function runRow(db: Db, deps: PipelineDeps, row: ClaimedInboxRow, now: Date): Promise<void> {
  const event = inboxEventSchema.parse(row.payload);
  if (event.kind === "watermark") {
    // A watermark moves whatever was accepted before it; one that names nothing yet has nothing to wait for.
    await applyWatermarkStatus(db, event.watermark);
    return markInboxDone(db, row, now);
  }
  if (event.kind === "status") {
    const outcome = await applyDeliveryStatusOutcome(db, event.update);
    if (outcome !== "unknown") return markInboxDone(db, row, now);
    const why = `No message sent on this channel has the id ${event.update.providerMessageId}.`;
    if (row.attempts >= MAX_INBOX_ATTEMPTS) return failInbox(db, row, now, why);
    return rescheduleInbox(db, row, new Date(now.getTime() + UNKNOWN_STATUS_RETRY_MS), why);
  }
  if (!isMessagingChannel(row.channelType)) return failInbox(db, row, now, `Not a messaging channel: ${row.channelType}`);
  // The turn dedupes on message_id, so a row run again after a crash is answered once. The row is marked done
  // in the turn's own write, so a stored turn and a done row commit together; a duplicate wrote nothing.
  const result = await receiveInbound(
    deps,
    row.tenantId,
    { message_id: event.externalId, user_id: event.userId, channel: row.channelType, content: event.content, channel_metadata: event.channelMetadata, delivery: event.address },
    // A read the schema does not recognise only means the long way reads again.
    { tooFast: TOO_FAST, settles: inboxDoneStatement(row, now), seen: seenConversationSchema.safeParse(row.seen).data },
  );
  if (result.duplicate) await markInboxDone(db, row, now);
}

async function settleFailure(db: Db, row: ClaimedInboxRow, now: Date, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
  if (error instanceof AppError && error.code === "RATE_LIMITED") {
    // Held back, not failed: the attempt does not count, and nothing is lost.
    const seconds = (error.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds ?? 1;
    return rescheduleInbox(db, row, new Date(now.getTime() + seconds * 1000), message, { uncount: true });
  }
  const giveUp = isPermanent(error) || error instanceof ZodError || row.attempts >= MAX_INBOX_ATTEMPTS;
  console.warn(`[inbox] ${row.kind} ${row.id} on channel ${row.channelId} attempt ${row.attempts} ${giveUp ? "failed" : "will be retried"}: ${message}`);
  if (giveUp) return failInbox(db, row, now, message);
  return rescheduleInbox(db, row, new Date(now.getTime() + backoffMs(row.attempts)), message);
}

/** Turns running at once in one process's inbox lane (worker.ts), and a batch's size. */
export const INBOX_CONCURRENCY = 20;

/**
 * Runs one claimed webhook event: a message through the one inbound path (end-user limit, then the turn,
 * which queues the replies in the outbox), a status onto the message it names, a watermark onto every
 * message it covers. A failure is settled on the row (retried later, held back or given up), never thrown.
 */
export function runInboxRow(db: Db, deps: PipelineDeps, row: ClaimedInboxRow, now: Date): Promise<void> {
  return runRow(db, deps, row, now).catch((error: unknown) => settleFailure(db, row, now, error));
}

/** Claims up to `limit` due events and runs them; returns how many were claimed (one round, for tests and tools). */
export async function processInboxBatch(db: Db, depsFor: () => PipelineDeps, now: Date, limit = INBOX_CONCURRENCY): Promise<number> {
  const rows = await claimInboxRows(db, now, limit);
  if (!rows.length) return 0;
  const deps = depsFor();
  await Promise.all(rows.map((row) => runInboxRow(db, deps, row, now)));
  return rows.length;
}
