import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { joinStatements, noStatement, stmt, toSql, type Statement } from "@/db/statement";
import { USAGE_SHARDS, type ConversationStatus } from "@/db/schema";
import type { BotMessage } from "../flows/engine";
import { inputText } from "../flows/user-input";
import { callRecordCtes } from "../models/call-records";
import type { LockedConversation } from "./conversation-repo";
import { RELAY_CHANNEL, relayPayload } from "../realtime/conversation-bus";
import type { InboundMessage } from "./message-schema";
import { inboundMetadata, replyMetadata, turnStatusChanges, type TurnFacts } from "./turn-record";

type Json = Record<string, unknown>;
type StoredMessage = { contentType: string; content: Json; text: string | null; metadata: Json };

export type TurnWrite = {
  tenantId: string;
  conversation: LockedConversation;
  input: InboundMessage;
  /** The inbound message's id (client-supplied or generated): the idempotency key. */
  messageId: string;
  now: Date;
  /** The API answer, stored with the inbound message so a redelivery gets it back. */
  result: Json;
  replies: BotMessage[];
  intent: { name: string | null; confidence: number };
  modelUsed: string | null;
  processingMs: number;
  state: Json;
  status: ConversationStatus;
  /** What the analytics and the inbox read about the turn. */
  facts: TurnFacts;
  /** A data-modifying statement committed with the turn: the entry point's own bookkeeping (the webhook inbox row it came from, marked done). */
  settles?: SQL;
  /** For a new conversation: the presumptions it was run on (presumed-first-turn.ts); the write stores nothing unless they hold. */
  presumes?: Presumes;
};

/**
 * A presumed turn's write is a statement of its own, outside any transaction, that stores nothing unless
 * `holds` holds (presumed-first-turn.ts, presumed-next-turn.ts). A new conversation's write first takes the
 * first-turn lock (`lockKey`) and claims the end user (db/schema/end-users.ts), and requires the claim to be
 * new: its snapshot predates the lock, so `holds` sees only what was committed before it, and a first
 * conversation the lock's previous holder committed meanwhile is seen through its claim. An existing
 * conversation's update requires `holds` of the row it updates, which Postgres re-reads after any concurrent
 * writer of that row has committed.
 */
export type Presumes = { lockKey: bigint | null; holds: Statement };

const json = (value: unknown) => stmt`${JSON.stringify(value)}::jsonb`;

/**
 * One statement that stores a turn: the conversation (created or updated), the inbound message, the
 * replies, for a messaging channel (`input.delivery`) their outbox rows, today's usage and the turn's model
 * calls (call-records.ts). It is the closing write of the turn's transaction, after `lockStatements`, or
 * for a presumed turn the whole of it (`Presumes`).
 */
export function persistTurnStatement(w: TurnWrite): SQL {
  const c = w.conversation;
  const { input } = w;
  const { facts } = w;
  const inbound: StoredMessage = {
    contentType: input.content.type,
    content: input.content,
    // The same words the flow read this turn; none is stored as null.
    text: inputText(input.content) || null,
    metadata: inboundMetadata(w.result, input, facts),
  };
  const metadataOf = replyMetadata(facts, { channel: input.channel, processingMs: w.processingMs, modelUsed: w.modelUsed, confidence: w.intent.confidence });
  const outbound: StoredMessage[] = w.replies.map((m, i) => ({ contentType: m.type, content: m as unknown as Json, text: m.text, metadata: metadataOf(i) }));
  const at = stmt`${w.now.toISOString()}::timestamptz`;
  const states = stmt`array(select jsonb_array_elements_text(${json(facts.states)}))`;
  const notUnderstood = facts.notUnderstood ? 1 : 0;
  const inboundId = randomUUID();
  const inboundSeq = c.lastSequence + 1;
  const added = 1 + outbound.length;
  const row = (m: StoredMessage, seq: number, direction: "inbound" | "outbound", extra: { id: string | null; externalId: string | null; replyTo: string | null; intent: string | null }): Statement =>
    stmt`(${extra.id ?? randomUUID()}::uuid, ${w.tenantId}::uuid, ${c.id}::uuid, ${extra.externalId}, ${extra.replyTo}::uuid, ${seq}::int, ${direction}, ${input.channel},
         ${m.contentType}, ${json(m.content)}, ${m.text}, ${extra.intent}, ${json(m.metadata)}, ${at})`;
  const outboundIds = outbound.map(() => randomUUID());
  const rows = [
    row(inbound, inboundSeq, "inbound", { id: inboundId, externalId: w.messageId, replyTo: null, intent: w.intent.name }),
    ...outbound.map((m, i) => row(m, inboundSeq + 1 + i, "outbound", { id: outboundIds[i]!, externalId: null, replyTo: inboundId, intent: null })),
  ];
  const delivery = input.delivery ? json(input.delivery) : null;
  // The new row's id is only given once the presumptions hold: require_presumption raises (CB001) otherwise,
  // which fails the whole statement, so nothing of the turn is stored.
  const conversationId = w.presumes ? stmt`case when require_presumption(exists (select 1 from claim) and ${w.presumes.holds}) then ${c.id}::uuid end` : stmt`${c.id}::uuid`;
  // A new conversation claims its end user; a presumed one only once it holds the lock, so it waits for the
  // turn holding it and then sees that turn's claim.
  const claim = c.isNew
    ? stmt`${w.presumes?.lockKey != null ? stmt`held as (select pg_advisory_xact_lock(${w.presumes.lockKey.toString()}::int8)),` : noStatement}
      claim as (insert into end_users (tenant_id, end_user_id, created_at) select ${w.tenantId}::uuid, ${input.user_id}, ${at} ${w.presumes?.lockKey != null ? stmt`from held` : noStatement}
                on conflict do nothing returning 1),`
    : noStatement;
  const conversation = c.isNew
    ? stmt`insert into conversations (id, tenant_id, end_user_id, session_id, channel, flow_version_id, state, status, primary_intent, message_count, last_sequence,
            status_changed_at, handed_off_at, resolved_at, visited_states, not_understood_count, sandbox, delivery_address, created_at, updated_at)
          values (${conversationId}, ${w.tenantId}::uuid, ${input.user_id}, ${input.session_id ?? null}, ${input.channel}, ${c.flowVersionId}::uuid, ${json(w.state)}, ${w.status}, ${w.intent.name},
            ${added}::int, ${inboundSeq + outbound.length}::int, ${at}, ${w.status === "escalated" ? at : null}, ${w.status === "resolved" ? at : null}, ${states},
            ${notUnderstood}::int, ${facts.sandbox}, ${delivery}, ${at}, ${at})`
    : stmt`update conversations set state = ${json(w.state)}, status = ${w.status}, channel = ${input.channel}, primary_intent = coalesce(primary_intent, ${w.intent.name}),
            ${delivery ? stmt`delivery_address = coalesce(delivery_address, ${delivery}),` : noStatement}
            message_count = message_count + ${added}::int, last_sequence = ${inboundSeq + outbound.length}::int, updated_at = ${at},
            status_changed_at = case when status = ${w.status} then status_changed_at else ${at} end,
            handed_off_at = ${w.status === "escalated" ? stmt`coalesce(handed_off_at, ${at})` : stmt`handed_off_at`},
            resolved_at = ${w.status === "resolved" ? stmt`case when status = 'resolved' then resolved_at else ${at} end` : stmt`resolved_at`},
            visited_states = case when ${states} <@ visited_states then visited_states else array(select distinct s from unnest(visited_states || ${states}) s) end,
            not_understood_count = not_understood_count + ${notUnderstood}::int
          where id = ${c.id}::uuid and tenant_id = ${w.tenantId}::uuid ${w.presumes ? stmt`and ${w.presumes.holds} returning 1` : noStatement}`;
  // Each reply of a messaging channel is queued for the delivery workers in this same statement, so a
  // stored reply is never left unsent and an unstored one never sent; `sequence` is the delivery order.
  const outbox = delivery && outbound.length
    ? stmt`insert into outbox_messages (id, tenant_id, channel_id, conversation_id, message_id, sequence, address, payload, state, next_attempt_at, created_at, updated_at)
          values ${joinStatements(outbound.map((m, i) => stmt`(${randomUUID()}::uuid, ${w.tenantId}::uuid, ${input.delivery!.channel_id}::uuid, ${c.id}::uuid, ${outboundIds[i]!}::uuid, ${inboundSeq + 1 + i}::int, ${delivery}, ${json(m.content)}, 'queued', ${at}, ${at}, ${at})`), ", ")}`
    : null;
  const events = statusEvents(w.tenantId, c, w.status, w.now);
  // Kept with the first reply, as its metadata keeps the turn's cost.
  const calls = callRecordCtes({ tenantId: w.tenantId, conversationId: c.id, messageId: outboundIds[0] ?? null, now: w.now, records: facts.modelCalls });
  // Where a person is involved their open transcript in another app process is woken at commit (pg_notify). A bot
  // turn wakes only this process's readers: the visitor has the answer already, and other processes' inbox
  // readers see it on their next poll (at most a second later), so busy bots do not queue on NOTIFY's commit lock.
  const notifyOthers = w.status === "escalated" || w.status === "with_agent" || (!c.isNew && c.status !== w.status);
  // The shard is the connection's (db/schema/usage.ts): two turns in flight at once run on two connections,
  // so they never wait on each other's row lock. Spreading by conversation id made concurrent turns collide,
  // and a waiting turn holds its own locks and connection meanwhile.
  const shard = stmt`(pg_backend_pid() % ${USAGE_SHARDS})::smallint`;
  return toSql(stmt`with ${claim} conv as (${conversation}),
    msgs as (insert into messages (id, tenant_id, conversation_id, external_id, reply_to, sequence, direction, channel, content_type, content, text, intent, metadata, created_at)
             values ${joinStatements(rows, ", ")}),
    ${outbox ? stmt`outbox as (${outbox}),` : noStatement}
    ${events ? stmt`events as (${events}),` : noStatement}
    ${calls.length ? stmt`${joinStatements(calls, ", ")},` : noStatement}
    ${w.settles ? stmt`settles as (${w.settles}),` : noStatement}
    usage as (insert into usage_counters (tenant_id, metric, day, shard, value) values (${w.tenantId}::uuid, 'messages', ${w.now.toISOString().slice(0, 10)}::date, ${shard}, ${added}::bigint)
              on conflict (tenant_id, metric, day, shard) do update set value = usage_counters.value + excluded.value)
    select ${w.presumes && !c.isNew ? stmt`require_presumption(exists (select 1 from conv)),` : noStatement} ${notifyOthers ? stmt`pg_notify(${RELAY_CHANNEL}, ${relayPayload(w.tenantId, c.id)})` : stmt`1`}`);
}

/** The turn's own status changes as event rows. */
function statusEvents(tenantId: string, c: LockedConversation, status: ConversationStatus, now: Date): Statement | null {
  const changes = turnStatusChanges(c.isNew ? null : c.status, status);
  if (changes.length === 0) return null;
  const rows = changes.map((e) => stmt`(${randomUUID()}::uuid, ${tenantId}::uuid, ${c.id}::uuid, ${e.kind}, ${e.from}, ${e.to}, ${e.actor}, ${now.toISOString()}::timestamptz)`);
  return stmt`insert into conversation_events (id, tenant_id, conversation_id, kind, from_status, to_status, actor_label, created_at) values ${joinStatements(rows, ", ")}`;
}
