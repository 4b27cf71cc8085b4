import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { messages } from "@/db/schema";
import { AppError } from "../errors/app-error";
import type { ConversationState } from "../flows/engine";
import type { InboundMessage } from "./message-schema";

const CONTINUE_WITHIN_MS = 24 * 60 * 60 * 1000;

/** The conversation a turn runs in, locked; `isNew` ones exist only in memory until the turn is persisted. */
export type LockedConversation = {
  id: string;
  isNew: boolean;
  state: ConversationState | null;
  flowVersionId: string | null;
  messageCount: number;
  lastSequence: number;
  /** Whether this end user had conversations before this one (for `returning_user` greetings). */
  returningUser: boolean;
};

export type StoredResult = Record<string, unknown>;
export type LockOutcome = { conversation: LockedConversation; stored: StoredResult | null };

type LockedRow = { id: string | null; state: ConversationState | null; flowVersionId: string | null; messageCount: number; lastSequence: number; seenSequence: number; stored: StoredResult | null };

const storedResultSql = (tenantId: string, messageId: string | undefined) =>
  messageId
    ? sql`(select m.metadata -> 'result' from messages m where m.tenant_id = ${tenantId}::uuid and m.external_id = ${messageId} and m.direction = 'inbound' limit 1)`
    : sql`null::jsonb`;

// `seenSequence` is read with the statement's snapshot, `lastSequence` from the row version the lock
// returned: they differ exactly when another turn committed while this one waited for the lock, and
// then the snapshot may have missed a concurrent delivery of the same message id.
const lockedColumns = sql`c.id, c.state, c.flow_version_id as "flowVersionId", c.message_count as "messageCount", c.last_sequence as "lastSequence",
  (select x.last_sequence from conversations x where x.id = c.id) as "seenSequence"`;

/**
 * Finds the conversation (or prepares a new one) and holds its row lock until the transaction ends, so
 * turns of one conversation run one at a time, in arrival order, across processes. In the same round
 * trip it looks up the stored answer to a redelivered message id.
 */
export async function lockConversation(tx: Db, tenantId: string, input: InboundMessage, now: Date): Promise<LockOutcome> {
  if (input.conversation_id) {
    const [row] = await queryRows<LockedRow>(
      tx,
      sql`select ${lockedColumns}, ${storedResultSql(tenantId, input.message_id)} as stored
          from conversations c where c.id = ${input.conversation_id}::uuid and c.tenant_id = ${tenantId}::uuid for update of c`,
    );
    if (!row) throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
    return { conversation: toLocked(row, false), stored: await recheckStored(tx, tenantId, input, row) };
  }
  // Two first messages from one user must not open two conversations. The lock is its own statement so
  // the lookup's snapshot, taken when the lock is held, sees whatever the previous holder committed; the
  // two are sent together (pipelined), so this costs one round trip. Both go through queryRows, which
  // sends at once: a bare drizzle query waits to be awaited, and Promise.all would send it second.
  const [, [row]] = await Promise.all([
    queryRows(tx, sql`select pg_advisory_xact_lock(hashtextextended(${`${tenantId}:${input.channel}:${input.user_id}`}, 0))`),
    queryRows<LockedRow & { returningUser: boolean; liveVersionId: string | null }>(
      tx,
      sql`select s.*, r.* from (
            select ${storedResultSql(tenantId, input.message_id)} as stored,
              exists (select 1 from conversations p where p.tenant_id = ${tenantId}::uuid and p.end_user_id = ${input.user_id}) as "returningUser",
              (select fv.id from flows f join flow_versions fv on fv.id = f.published_version_id and fv.tenant_id = f.tenant_id
                where f.tenant_id = ${tenantId}::uuid order by fv.created_at desc limit 1) as "liveVersionId"
          ) s left join lateral (
            select ${lockedColumns} from conversations c
            where c.tenant_id = ${tenantId}::uuid and c.end_user_id = ${input.user_id} and c.channel = ${input.channel}
              and c.status = 'in_progress' and c.updated_at > ${new Date(now.getTime() - CONTINUE_WITHIN_MS).toISOString()}::timestamptz
            order by c.updated_at desc limit 1 for update
          ) r on true`,
    ),
  ]);
  if (row!.id) return { conversation: toLocked(row!, false), stored: await recheckStored(tx, tenantId, input, row!) };
  const conversation: LockedConversation = { id: randomUUID(), isNew: true, state: null, flowVersionId: row!.liveVersionId, messageCount: 0, lastSequence: 0, returningUser: row!.returningUser };
  return { conversation, stored: row!.stored };
}

function toLocked(row: LockedRow, returningUser: boolean): LockedConversation {
  return { id: row.id!, isNew: false, state: row.state, flowVersionId: row.flowVersionId, messageCount: row.messageCount, lastSequence: row.lastSequence, returningUser };
}

async function recheckStored(tx: Db, tenantId: string, input: InboundMessage, row: LockedRow): Promise<StoredResult | null> {
  if (row.stored || !input.message_id || row.lastSequence === row.seenSequence) return row.stored;
  return findStoredResult(tx, tenantId, input.message_id);
}

/** The stored answer to an inbound message id, for idempotent redelivery. */
export async function findStoredResult(db: Db, tenantId: string, messageId: string): Promise<StoredResult | null> {
  const [row] = await db
    .select({ metadata: messages.metadata })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, messageId), eq(messages.direction, "inbound")))
    .limit(1);
  return (row?.metadata.result as StoredResult | undefined) ?? null;
}
