import { hash, randomUUID } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages, type ConversationStatus } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { liveVersionIdSubquery } from "../flow-store/flow-service";
import { conversationStateSchema, type ConversationState } from "../flows/conversation-state";
import type { InboundMessage } from "./message-schema";
import { chatResultSchema, type ChatResult } from "./pipeline-result";
import type { Rows, TurnStatements, TurnTx } from "./turn-transaction";

/** How recent an end user's conversation must be for a message that does not name one to continue it. */
export const CONTINUE_WITHIN_MS = 24 * 60 * 60 * 1000;

/** The conversation a turn runs in, locked; `isNew` ones exist only in memory until the turn is persisted. */
export type LockedConversation = {
  id: string;
  isNew: boolean;
  /** As stored before this turn; a new conversation starts with the bot. */
  status: ConversationStatus;
  state: ConversationState | null;
  flowVersionId: string | null;
  messageCount: number;
  lastSequence: number;
  /** Whether this end user had conversations before this one (for `returning_user` greetings). */
  returningUser: boolean;
};

/** The answer stored with an inbound message, parsed with the schema that wrote it, for redeliveries. */
export type StoredResult = ChatResult;
export type LockOutcome = { conversation: LockedConversation; stored: StoredResult | null };

/** A stored answer with the end user it was given to: a message id is only a redelivery from the same user. */
type StoredReplay = { result: unknown; user_id: string | null };
type LockedRow = { id: string | null; status: ConversationStatus; state: unknown; flowVersionId: string | null; messageCount: number; lastSequence: number; seenSequence: number; stored: StoredReplay | null };

const storedResultSql = (tenantId: string, messageId: string | undefined) =>
  messageId
    ? sql`(select jsonb_build_object('result', m.metadata -> 'result', 'user_id', m.metadata -> 'user_id') from messages m
           where m.tenant_id = ${tenantId}::uuid and m.external_id = ${messageId} and m.direction = 'inbound' limit 1)`
    : sql`null::jsonb`;

/**
 * Message ids are unique per tenant. Answering another end user's reuse of one with the stored answer
 * would hand them someone else's conversation, so that is refused instead.
 */
function replayFor(input: InboundMessage, stored: StoredReplay | null | undefined): StoredResult | null {
  if (!stored) return null;
  if (stored.user_id !== input.user_id) {
    throw new AppError("CONFLICT", "This message_id was already used by a different end user; send a new message_id.", { field: "message_id" });
  }
  return chatResultSchema.parse(stored.result);
}

// `seenSequence` is read with the statement's snapshot, `lastSequence` from the row version the lock
// returned: they differ exactly when another turn committed while this one waited for the lock, and
// then the snapshot may have missed a concurrent delivery of the same message id.
const lockedColumns = sql`c.id, c.status, c.state, c.flow_version_id as "flowVersionId", c.message_count as "messageCount", c.last_sequence as "lastSequence",
  (select x.last_sequence from conversations x where x.id = c.id) as "seenSequence"`;

type FirstTurnRow = LockedRow & { returningUser: boolean; liveVersionId: string | null };

/**
 * The advisory lock a turn without a conversation id holds until its transaction ends: two first messages
 * from one user must not open two conversations. It is taken before the turn's statements, so their
 * snapshots, taken once it is held, see what the previous holder committed. Computed here, not in SQL, so
 * BEGIN can carry it as a number (db/pg-session.ts).
 */
export function firstTurnLockKey(tenantId: string, input: Pick<InboundMessage, "channel" | "user_id">): bigint {
  return hash("sha256", `first-turn:${tenantId}:${input.channel}:${input.user_id}`, "buffer").readBigInt64BE(0);
}

/**
 * The conversation a message that names none continues (`alias`, read in `order by updated_at desc limit 1`):
 * the end user's latest on the channel that is still open and recent. A conversation waiting for or with a
 * person is continued too: its visitor is answered (or heard by the person), never silently restarted.
 */
export const continuedBy = (alias: SQL, by: { tenant: SQL; user: SQL; channel: SQL }, now: Date): SQL =>
  sql`${alias}.tenant_id = ${by.tenant} and ${alias}.end_user_id = ${by.user} and ${alias}.channel = ${by.channel}
    and ${alias}.status in ('in_progress', 'escalated', 'with_agent') and ${alias}.updated_at > ${new Date(now.getTime() - CONTINUE_WITHIN_MS).toISOString()}::timestamptz`;

/**
 * The statements that find the conversation (or prepare a new one) and hold its row lock until the
 * transaction ends, so turns of one conversation run one at a time, in arrival order, across processes.
 * They also look up the stored answer to a redelivered message id. Run them first in the turn's
 * transaction and pass their rows to `resolveLock`.
 */
export function lockStatements(tenantId: string, input: InboundMessage, now: Date): TurnStatements {
  if (input.conversation_id) {
    // Only the conversation's own end user finds it (on the widget, only on its own channel): anyone
    // else's id matches no row and is a 404, so a foreign conversation is never read, locked or written.
    const sameChannel = input.sameChannelOnly ? sql`and c.channel = ${input.channel}` : sql``;
    return { lockKey: null, statements: [
      sql`select s.stored, r.* from (select ${storedResultSql(tenantId, input.message_id)} as stored) s
          left join lateral (
            select ${lockedColumns} from conversations c
            where c.id = ${input.conversation_id}::uuid and c.tenant_id = ${tenantId}::uuid and c.end_user_id = ${input.user_id} ${sameChannel}
            for update of c
          ) r on true`,
    ] };
  }
  return { lockKey: firstTurnLockKey(tenantId, input), statements: [
    sql`select s.*, r.* from (
          select ${storedResultSql(tenantId, input.message_id)} as stored,
            exists (select 1 from conversations p where p.tenant_id = ${tenantId}::uuid and p.end_user_id = ${input.user_id}) as "returningUser",
            ${liveVersionIdSubquery(tenantId)} as "liveVersionId"
        ) s left join lateral (
          select ${lockedColumns} from conversations c
          where ${input.startNew ? sql`false and` : sql``} ${continuedBy(sql`c`, { tenant: sql`${tenantId}::uuid`, user: sql`${input.user_id}`, channel: sql`${input.channel}` }, now)}
          order by c.updated_at desc limit 1 for update
        ) r on true`,
  ] };
}

/** Reads what `lockStatements` returned; may re-check a redelivery the lock wait hid from the snapshot. */
export async function resolveLock(opened: Rows[], tx: TurnTx, tenantId: string, input: InboundMessage): Promise<LockOutcome> {
  if (input.conversation_id) {
    const row = opened[0]![0] as LockedRow;
    if (!row.id) {
      // Another end user's reuse of a message id is refused as such wherever it points.
      replayFor(input, row.stored);
      throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
    }
    return { conversation: toLocked(row), stored: await recheckStored(tx, tenantId, input, row) };
  }
  const row = opened[0]![0] as FirstTurnRow;
  if (row.id) return { conversation: toLocked(row), stored: await recheckStored(tx, tenantId, input, row) };
  const conversation: LockedConversation = { id: randomUUID(), isNew: true, status: "in_progress", state: null, flowVersionId: row.liveVersionId, messageCount: 0, lastSequence: 0, returningUser: row.returningUser };
  return { conversation, stored: replayFor(input, row.stored) };
}

function toLocked(row: LockedRow): LockedConversation {
  const state = row.state === null ? null : conversationStateSchema.parse(row.state);
  return { id: row.id!, isNew: false, status: row.status, state, flowVersionId: row.flowVersionId, messageCount: row.messageCount, lastSequence: row.lastSequence, returningUser: false };
}

async function recheckStored(tx: TurnTx, tenantId: string, input: InboundMessage, row: LockedRow): Promise<StoredResult | null> {
  if (row.stored || !input.message_id || row.lastSequence === row.seenSequence) return replayFor(input, row.stored);
  const [again] = await tx.query<{ stored: StoredReplay | null }>(sql`select ${storedResultSql(tenantId, input.message_id)} as stored`);
  return replayFor(input, again?.stored);
}

/** The stored answer to an inbound message id, for idempotent redelivery (refused if another end user sent it). */
export async function findStoredResult(db: Db, tenantId: string, input: InboundMessage): Promise<StoredResult | null> {
  if (!input.message_id) return null;
  const [row] = await db
    .select({ metadata: messages.metadata })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), eq(messages.externalId, input.message_id), eq(messages.direction, "inbound")))
    .limit(1);
  return row ? replayFor(input, { result: row.metadata.result, user_id: typeof row.metadata.user_id === "string" ? row.metadata.user_id : null }) : null;
}
