import { randomUUID } from "node:crypto";
import { getDb } from "@/server/db";
import { apiRoute, readJson } from "@/server/http/api-handler";
import { lockStatements, resolveLock, type LockedConversation } from "@/server/pipeline/conversation-repo";
import { inboundMessageSchema } from "@/server/pipeline/message-schema";
import { persistTurnStatement } from "@/server/pipeline/persist-turn";
import { runTurnTransaction } from "@/server/pipeline/turn-transaction";

export const dynamic = "force-dynamic";

/**
 * Benchmark ceiling for `POST /api/v2/chat/message` (see bench/). Inert unless BENCH_MODE=1: 404 otherwise.
 *
 * INCLUDES, exactly as the chat route does:
 *   - the `apiRoute` wrapper: request id, CORS, API-key auth, per-key limit (none on enterprise),
 *     throttled last-used touch, and the success envelope;
 *   - JSON body read + `inboundMessageSchema` validation;
 *   - the same transaction runner with the same statements: `lockStatements` when conversation_id is
 *     given (row lock + redelivery lookup), then the shared `persistTurnStatement` (conversation insert
 *     or update, inbound + reply messages, usage counter) with a result object stored on the inbound message.
 *
 * LEAVES OUT: the per-end-user rate limit (Redis), the advisory lock + "recent conversation" search +
 * live-flow lookup for first messages, the flow runtime, NLU and the flow engine (incl. integration
 * calls). The reply is a fixed canned text.
 */
const CANNED = "Thanks for your message! This is the benchmark ceiling's canned reply.";

const ceiling = apiRoute(async ({ req, tenantId }) => {
  const started = performance.now();
  const input = inboundMessageSchema.parse(await readJson(req));
  const now = new Date();
  const messageId = input.message_id ?? randomUUID();
  const opening = input.conversation_id ? lockStatements(tenantId, input, now) : [];
  const result = await runTurnTransaction(getDb(), opening, async (opened, tx) => {
    const conversation: LockedConversation = input.conversation_id
      ? (await resolveLock(opened, tx, tenantId, input)).conversation
      : { id: randomUUID(), isNew: true, status: "in_progress", state: null, flowVersionId: null, messageCount: 0, lastSequence: 0, returningUser: false };
    const reply = { type: "text" as const, text: CANNED };
    const state = { current_state: "router", current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [], retries: {}, turn_count: 1, status: "active" };
    const processingMs = Math.round(performance.now() - started);
    const result = {
      message_id: messageId,
      conversation_id: conversation.id,
      response: { type: "text", text: CANNED, confidence_score: 0, messages: [reply] },
      conversation_state: { current_state: state.current_state, current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [] },
      processing_metadata: { processing_time_ms: processingMs, model_used: null, flow_version_id: null, intent: { name: null, confidence: 0, alternatives: [] }, entities: {} },
    };
    const write = persistTurnStatement({
      tenantId,
      conversation,
      input,
      messageId,
      now,
      result,
      replies: [reply],
      intent: { name: null, confidence: 0 },
      modelUsed: null,
      processingMs,
      state,
      status: "in_progress",
    });
    return { write, value: result };
  });
  return { data: result, headers: { "X-Idempotent-Replay": "false" } };
});

export async function POST(req: Request): Promise<Response> {
  if (process.env.BENCH_MODE !== "1") return new Response("Not Found", { status: 404 });
  return ceiling(req);
}
