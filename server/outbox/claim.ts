import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";

/** How long a claimed row is a worker's; the send's own deadline is shorter, so a live worker never loses its row. */
export const LEASE_MS = 30_000;

export type ClaimedRow = {
  id: string;
  tenantId: string;
  channelId: string;
  conversationId: string;
  sequence: number;
  address: unknown;
  payload: unknown;
  /** This claim's attempt number: the result is written only while the row still carries it. */
  attempts: number;
  /** When the end user last wrote in the conversation, read with the claim (WhatsApp's 24-hour window). */
  lastInboundAt: Date | string | null;
  /** The channel's last change (null: it is gone), so a worker reuses the channel it loaded while it is unchanged (deliver.ts). */
  channelUpdatedAt: Date | string | null;
};

/**
 * Claims up to `limit` due rows in one statement, safe with any number of worker processes (SKIP LOCKED:
 * a row another worker is claiming is passed over, not waited for). A claimed row's next_attempt_at moves
 * to its lease's end, so "due" is one range on outbox_messages_due_idx for both states: a queued row whose
 * time has come, and a sending row whose worker died before its lease ran out.
 *
 * Per conversation strictly in order: a row is due only if no earlier row (lower sequence) of its
 * conversation is still queued or sending. That also means at most one row per conversation per claim,
 * and never two in flight at once. Failed and dead rows do not block later ones: a reply that can never be
 * sent must not hold the conversation hostage (an operator can retry it; see dead-letters.ts).
 */
export function claimDueRows(db: Db, now: Date, limit: number, running: readonly string[] = []): Promise<ClaimedRow[]> {
  return queryRows<ClaimedRow>(db, claimStatement(now, limit, running));
}

/**
 * Rows the claiming worker is still sending are never claimed again by it, whatever their lease says. The ids
 * travel as one array parameter, so the claim's text is the same however many are running and its prepared
 * plan is reused (a list of parameters made a new statement, parsed and planned, for every count).
 */
export const notRunning = (column: SQL, running: readonly string[]) => sql`and ${column} <> all(${`{${running.map((id) => uuidText(id)).join(",")}}`}::uuid[])`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id read back from the database; anything else would change the array literal's meaning, so it is refused. */
function uuidText(id: string): string {
  if (!UUID.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return id;
}

/**
 * The claim as one statement (exported for the test that checks its plan). `running`: this worker's rows
 * still being sent.
 */
export function claimStatement(now: Date, limit: number, running: readonly string[] = []): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const leaseUntil = sql`${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz`;
  return sql`update outbox_messages o
      set state = 'sending', lease_until = ${leaseUntil}, next_attempt_at = ${leaseUntil}, attempts = o.attempts + 1, updated_at = ${at}
      where o.id in (
        select d.id from outbox_messages d
        where d.state in ('queued', 'sending') and d.next_attempt_at <= ${at} ${notRunning(sql`d.id`, running)}
          and not exists (
            select 1 from outbox_messages e
            where e.conversation_id = d.conversation_id and e.sequence < d.sequence and e.state in ('queued', 'sending')
          )
        order by d.next_attempt_at
        limit ${limit}
        for update of d skip locked
      )
      returning o.id, o.tenant_id as "tenantId", o.channel_id as "channelId", o.conversation_id as "conversationId",
        o.sequence, o.address, o.payload, o.attempts,
        (select m.created_at from messages m where m.conversation_id = o.conversation_id and m.tenant_id = o.tenant_id and m.direction = 'inbound'
          order by m.sequence desc limit 1) as "lastInboundAt",
        (select ch.updated_at from channels ch where ch.id = o.channel_id and ch.tenant_id = o.tenant_id) as "channelUpdatedAt"`;
}
