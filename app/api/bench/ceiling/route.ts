import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { conversations, messages } from "@/db/schema";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors/app-error";
import { apiRoute, readJson } from "@/server/http/api-handler";
import { bumpUsage } from "@/server/pipeline/conversation-repo";
import { inboundMessageSchema } from "@/server/pipeline/message-schema";

export const dynamic = "force-dynamic";

/**
 * Benchmark ceiling for `POST /api/v2/chat/message` (see bench/). Inert unless BENCH_MODE=1: 404 otherwise.
 *
 * INCLUDES, exactly as the chat route does:
 *   - the `apiRoute` wrapper: request id, CORS, API-key lookup (1 query), per-key limit (none on
 *     enterprise), throttled last-used touch, and the success envelope;
 *   - JSON body read + `inboundMessageSchema` validation;
 *   - one transaction with the same writes: lock the conversation (`select … for update` when
 *     conversation_id is given) or create it (insert … returning), insert the inbound message
 *     (external_id, metadata carrying a result object), insert one outbound message, update the
 *     conversation (state, status, counters), upsert today's `usage_counters` row (shared `bumpUsage`).
 *
 * LEAVES OUT: the per-end-user rate limit (Redis), idempotency lookups, the advisory lock + "recent
 * conversation" search + live-flow lookup for first messages, countPriorConversations, flow runtime
 * load, NLU and the flow engine (incl. integration calls). The reply is a fixed canned text.
 */
const CANNED = "Thanks for your message! This is the benchmark ceiling's canned reply.";

const ceiling = apiRoute(async ({ req, tenantId }) => {
  const started = performance.now();
  const input = inboundMessageSchema.parse(await readJson(req));
  const now = new Date();
  const messageId = input.message_id ?? randomUUID();
  const result = await getDb().transaction(async (tx) => {
    let conversation: { id: string; messageCount: number; lastSequence: number };
    if (input.conversation_id) {
      const [row] = await tx
        .select({ id: conversations.id, messageCount: conversations.messageCount, lastSequence: conversations.lastSequence })
        .from(conversations)
        .where(and(eq(conversations.id, input.conversation_id), eq(conversations.tenantId, tenantId)))
        .for("update");
      if (!row) throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
      conversation = row;
    } else {
      const [row] = await tx
        .insert(conversations)
        .values({ tenantId, endUserId: input.user_id, sessionId: input.session_id ?? null, channel: input.channel, createdAt: now, updatedAt: now })
        .returning({ id: conversations.id, messageCount: conversations.messageCount, lastSequence: conversations.lastSequence });
      conversation = row!;
    }
    const reply = { type: "text" as const, text: CANNED };
    const state = { current_state: "router", current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [], retries: {}, turn_count: 1, status: "active" };
    const result = {
      message_id: messageId,
      conversation_id: conversation.id,
      response: { type: "text", text: CANNED, confidence_score: 0, messages: [reply] },
      conversation_state: { current_state: state.current_state, current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [] },
      processing_metadata: { processing_time_ms: Math.round(performance.now() - started), model_used: null, flow_version_id: null, intent: { name: null, confidence: 0, alternatives: [] }, entities: {} },
    };
    const inboundSeq = conversation.lastSequence + 1;
    const [inbound] = await tx
      .insert(messages)
      .values({
        tenantId,
        conversationId: conversation.id,
        externalId: messageId,
        sequence: inboundSeq,
        direction: "inbound",
        channel: input.channel,
        contentType: input.content.type,
        content: input.content,
        text: input.content.type === "text" ? input.content.text : null,
        intent: null,
        metadata: { result, session_id: input.session_id, channel_metadata: input.channel_metadata ?? {}, user_id: input.user_id },
        createdAt: now,
      })
      .returning({ id: messages.id });
    await tx.insert(messages).values({
      tenantId,
      conversationId: conversation.id,
      replyTo: inbound!.id,
      sequence: inboundSeq + 1,
      direction: "outbound",
      channel: input.channel,
      contentType: reply.type,
      content: reply,
      text: reply.text,
      metadata: { processing_time_ms: result.processing_metadata.processing_time_ms, model_used: null, delivery_status: "delivered", confidence: 0 },
      createdAt: now,
    });
    await tx
      .update(conversations)
      .set({ state, status: "in_progress", channel: input.channel, messageCount: conversation.messageCount + 2, lastSequence: inboundSeq + 1, updatedAt: now })
      .where(eq(conversations.id, conversation.id));
    await bumpUsage(tx, tenantId, "messages", 2, now);
    return result;
  });
  return { data: result, headers: { "X-Idempotent-Replay": "false" } };
});

export async function POST(req: Request): Promise<Response> {
  if (process.env.BENCH_MODE !== "1") return new Response("Not Found", { status: 404 });
  return ceiling(req);
}
