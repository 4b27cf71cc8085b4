import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { USAGE_SHARDS, type CONVERSATION_STATUSES } from "@/db/schema";
import type { BotMessage } from "../flows/engine";
import { inputText } from "../flows/user-input";
import type { LockedConversation } from "./conversation-repo";
import type { InboundMessage } from "./message-schema";

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
  status: (typeof CONVERSATION_STATUSES)[number];
};

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * One statement that stores a turn: the conversation (created or updated), the inbound message, the
 * replies and today's usage. It is the closing write of the turn's transaction, after `lockStatements`.
 */
export function persistTurnStatement(w: TurnWrite): SQL {
  const c = w.conversation;
  const { input } = w;
  const inbound: StoredMessage = {
    contentType: input.content.type,
    content: input.content,
    // The same words the flow read this turn; none is stored as null.
    text: inputText(input.content) || null,
    metadata: { result: w.result, session_id: input.session_id, channel_metadata: input.channel_metadata ?? {}, user_id: input.user_id },
  };
  const replyMetadata = { processing_time_ms: w.processingMs, model_used: w.modelUsed, delivery_status: input.channel === "web" ? "delivered" : "queued", confidence: w.intent.confidence };
  const outbound: StoredMessage[] = w.replies.map((m) => ({ contentType: m.type, content: m as unknown as Json, text: m.text, metadata: replyMetadata }));
  const at = sql`${w.now.toISOString()}::timestamptz`;
  const inboundId = randomUUID();
  const inboundSeq = c.lastSequence + 1;
  const added = 1 + outbound.length;
  const row = (m: StoredMessage, seq: number, direction: "inbound" | "outbound", extra: { id: string | null; externalId: string | null; replyTo: string | null; intent: string | null }): SQL =>
    sql`(${extra.id ?? randomUUID()}::uuid, ${w.tenantId}::uuid, ${c.id}::uuid, ${extra.externalId}, ${extra.replyTo}::uuid, ${seq}::int, ${direction}, ${input.channel},
         ${m.contentType}, ${json(m.content)}, ${m.text}, ${extra.intent}, ${json(m.metadata)}, ${at})`;
  const rows = [
    row(inbound, inboundSeq, "inbound", { id: inboundId, externalId: w.messageId, replyTo: null, intent: w.intent.name }),
    ...outbound.map((m, i) => row(m, inboundSeq + 1 + i, "outbound", { id: null, externalId: null, replyTo: inboundId, intent: null })),
  ];
  const conversation = c.isNew
    ? sql`insert into conversations (id, tenant_id, end_user_id, session_id, channel, flow_version_id, state, status, primary_intent, message_count, last_sequence, created_at, updated_at)
          values (${c.id}::uuid, ${w.tenantId}::uuid, ${input.user_id}, ${input.session_id ?? null}, ${input.channel}, ${c.flowVersionId}::uuid, ${json(w.state)}, ${w.status}, ${w.intent.name}, ${added}::int, ${inboundSeq + outbound.length}::int, ${at}, ${at})`
    : sql`update conversations set state = ${json(w.state)}, status = ${w.status}, channel = ${input.channel}, primary_intent = coalesce(primary_intent, ${w.intent.name}),
            message_count = message_count + ${added}::int, last_sequence = ${inboundSeq + outbound.length}::int, updated_at = ${at}
          where id = ${c.id}::uuid and tenant_id = ${w.tenantId}::uuid`;
  // Conversation ids are random, so their first hex digit spreads one tenant's turns over the shards.
  const shard = Number.parseInt(c.id[0]!, 16) % USAGE_SHARDS;
  return sql`with conv as (${conversation}),
    msgs as (insert into messages (id, tenant_id, conversation_id, external_id, reply_to, sequence, direction, channel, content_type, content, text, intent, metadata, created_at)
             values ${sql.join(rows, sql`, `)}),
    usage as (insert into usage_counters (tenant_id, metric, day, shard, value) values (${w.tenantId}::uuid, 'messages', ${w.now.toISOString().slice(0, 10)}::date, ${shard}::smallint, ${added}::bigint)
              on conflict (tenant_id, metric, day, shard) do update set value = usage_counters.value + excluded.value)
    select 1`;
}
