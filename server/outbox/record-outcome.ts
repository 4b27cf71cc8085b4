import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { groupCalls, groupedPerKey } from "@/db/group-calls";
import { isConnectionError } from "@/db/pg-session";
import { outboxMessages } from "@/db/schema";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff";
import type { ClaimedRow } from "./claim";
import { sentUnlessFurther } from "./delivery-status";

export type SendOutcome =
  | { kind: "accepted"; providerMessageId: string }
  | { kind: "retryable" | "permanent"; code: string; reason: string; retryAfterMs?: number };

/** A refused send's row: queued again after a backoff, failed (permanent) or dead (retries used up). */
function refusedValues(row: ClaimedRow, outcome: Exclude<SendOutcome, { kind: "accepted" }>, now: Date, random?: () => number) {
  const released = { leaseUntil: null, updatedAt: now };
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
  if (outcome.kind === "accepted") return recordAcceptedGrouped(db, { id: row.id, attempts: row.attempts, providerMessageId: outcome.providerMessageId, at: now.toISOString() });
  await db
    .update(outboxMessages)
    .set(refusedValues(row, outcome, now, random))
    .where(and(eq(outboxMessages.id, row.id), eq(outboxMessages.state, "sending"), eq(outboxMessages.attempts, row.attempts)));
}

export type Accepted = { id: string; attempts: number; providerMessageId: string; at: string };

/**
 * The accepted sends of a group in one statement (db/group-calls.ts), each written only while its row is still
 * this claim's: busy delivery workers then pay one round trip and one commit per group rather than per send.
 */
export function acceptedGroupStatement(group: Accepted[]): SQL {
  // The planner cannot see how many rows a JSON array holds (it assumes 100), so the ids are also given as
  // an array the primary key is probed with: joined on the array's elements alone, it walked the partial
  // due index over every queued row instead (53 ms per group with 19,000 replies waiting, against 0.1).
  return sql`with v as (select (r->>'id')::uuid as id, (r->>'attempts')::int as attempts, r->>'providerMessageId' as provider_message_id, (r->>'at')::timestamptz as at
      from jsonb_array_elements(${JSON.stringify(group)}::jsonb) as r)
    update ${outboxMessages} set state = 'accepted', provider_message_id = v.provider_message_id, accepted_at = v.at,
      updated_at = v.at, lease_until = null, last_error = null, last_error_code = null, delivery_status = ${sentUnlessFurther}
    from v
    where ${outboxMessages.id} = any(array(select id from v)) and ${outboxMessages.id} = v.id and ${outboxMessages.state} = 'sending' and ${outboxMessages.attempts} = v.attempts`;
}

async function recordAcceptedGroup(db: Db, group: Accepted[]): Promise<void[]> {
  await db.execute(acceptedGroupStatement(group));
  return group.map(() => undefined);
}

const recordAcceptedGrouped = groupedPerKey((db: Db) => groupCalls((group: Accepted[]) => recordAcceptedGroup(db, group), 200, isConnectionError));
