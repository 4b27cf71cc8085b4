import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboxMessages } from "@/db/schema";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff";
import type { ClaimedRow } from "./claim";
import { sentUnlessFurther } from "./delivery-status";

export type SendOutcome =
  | { kind: "accepted"; providerMessageId: string }
  | { kind: "retryable" | "permanent"; code: string; reason: string; retryAfterMs?: number };

function valuesFor(row: ClaimedRow, outcome: SendOutcome, now: Date, random?: () => number) {
  const released = { leaseUntil: null, updatedAt: now };
  if (outcome.kind === "accepted") {
    return { ...released, state: "accepted" as const, providerMessageId: outcome.providerMessageId, acceptedAt: now, deliveryStatus: sentUnlessFurther, lastError: null, lastErrorCode: null };
  }
  const error = { lastError: outcome.reason, lastErrorCode: outcome.code };
  if (outcome.kind === "retryable" && row.attempts < MAX_ATTEMPTS) {
    return { ...released, ...error, state: "queued" as const, nextAttemptAt: new Date(now.getTime() + retryDelayMs(row.attempts, outcome.retryAfterMs, random)) };
  }
  // The tenant sees the reason; `dead` says retries ran out, `failed` that retrying would not have helped.
  return { ...released, ...error, state: outcome.kind === "retryable" ? ("dead" as const) : ("failed" as const), deliveryStatus: "failed" as const, deliveryStatusAt: now };
}

/**
 * Writes a send's outcome in one statement, only while the row is still this claim's (sending, same
 * attempt): a worker that outlived its lease must not overwrite the outcome of the one that took over.
 */
export async function recordOutcome(db: Db, row: ClaimedRow, outcome: SendOutcome, now: Date, random?: () => number): Promise<void> {
  await db
    .update(outboxMessages)
    .set(valuesFor(row, outcome, now, random))
    .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.state, "sending"), eq(outboxMessages.attempts, row.attempts)));
}
