import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb } from "@/server/db";

export const dynamic = "force-dynamic";

/**
 * The bench's ceiling (bench/run.ts): the bare minimum a first message must write, nothing else. Inert
 * unless BENCH_MODE=1 (404 otherwise). It does only the rows the chat API's first message inserts: one
 * conversation and two messages (the visitor's, with its id for the idempotency index, and the reply), in
 * the same tables, so the same indexes, foreign keys and the full-text GIN index are paid. No auth, no rate
 * limit, no lock, no explicit transaction (one autocommitted statement), no flow, no validation beyond
 * JSON.parse. The tenant and flow version are the bench's own, from the server's environment, so no
 * request can name a tenant.
 */
const REPLY = "Welcome to Acme Store! I can help you find products, check an order or talk to our team.";
const STATE = { current_state: "greeting", current_intent: "greeting", intent_confidence: 1, entities: {}, slots: {}, missing_required_slots: [], retries: {}, turn_count: 1, status: "active" };

export async function POST(req: Request): Promise<Response> {
  const tenantId = process.env.BENCH_TENANT_ID;
  if (process.env.BENCH_MODE !== "1" || !tenantId) return new Response("Not Found", { status: 404 });
  const body = JSON.parse(await req.text()) as { message_id?: string; user_id: string; channel: string; content: { type: string; text: string } };
  const conversationId = randomUUID();
  const inboundId = randomUUID();
  const at = new Date().toISOString();
  await getDb().execute(sql`with conv as (
      insert into conversations (id, tenant_id, end_user_id, channel, flow_version_id, state, status, message_count, last_sequence, created_at, updated_at)
      values (${conversationId}::uuid, ${tenantId}::uuid, ${body.user_id}, ${body.channel}, ${process.env.BENCH_FLOW_VERSION_ID ?? null}::uuid, ${JSON.stringify(STATE)}::jsonb, 'in_progress', 2, 2, ${at}::timestamptz, ${at}::timestamptz))
    insert into messages (id, tenant_id, conversation_id, external_id, reply_to, sequence, direction, channel, content_type, content, text, metadata, created_at)
    values (${inboundId}::uuid, ${tenantId}::uuid, ${conversationId}::uuid, ${body.message_id ?? inboundId}, null, 1, 'inbound', ${body.channel}, 'text', ${JSON.stringify(body.content)}::jsonb, ${body.content.text}, '{}'::jsonb, ${at}::timestamptz),
           (${randomUUID()}::uuid, ${tenantId}::uuid, ${conversationId}::uuid, null, ${inboundId}::uuid, 2, 'outbound', ${body.channel}, 'text', ${JSON.stringify({ type: "text", text: REPLY })}::jsonb, ${REPLY}, '{}'::jsonb, ${at}::timestamptz)`);
  return Response.json({ conversation_id: conversationId });
}
