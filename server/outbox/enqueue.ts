import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import type { BotMessage } from "../flows/bot-message";

export type OutboxReply = { tenantId: string; conversationId: string; messageId: string; sequence: number; payload: BotMessage; now: Date };

/**
 * Queues a stored outbound message (an agent's reply, an away message) for the conversation's messaging
 * channel, in the caller's transaction so the message and its delivery commit together. One statement: it
 * inserts only when the conversation came in through a channel webhook (it has a delivery address on one
 * of its own tenant's channels). True when a row was queued: the caller wakes the workers after commit.
 */
export async function enqueueReply(tx: Db, reply: OutboxReply): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`insert into outbox_messages (tenant_id, channel_id, conversation_id, message_id, sequence, address, payload, next_attempt_at, created_at, updated_at)
      select c.tenant_id, ch.id, c.id, ${reply.messageId}::uuid, ${reply.sequence}, c.delivery_address, ${JSON.stringify(reply.payload)}::jsonb,
        ${reply.now.toISOString()}::timestamptz, ${reply.now.toISOString()}::timestamptz, ${reply.now.toISOString()}::timestamptz
      from conversations c
      join channels ch on ch.id = (c.delivery_address ->> 'channel_id')::uuid and ch.tenant_id = c.tenant_id
      where c.id = ${reply.conversationId}::uuid and c.tenant_id = ${reply.tenantId}::uuid
      returning id`,
  );
  return rows.length > 0;
}
