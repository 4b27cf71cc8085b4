import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { withDeadline } from "../flows/deadline";
import { runTurn, type ConversationState, type IntegrationCaller, type LlmGenerator, type TurnResult, type TurnStreamSink, type UserInput } from "../flows/engine";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { wakeLocalReaders } from "../realtime/conversation-bus";
import { findStoredResult, lockStatements, resolveLock } from "./conversation-repo";
import { loadFlowRuntime } from "./flow-runtime";
import type { InboundMessage, MessageContent } from "./message-schema";
import { persistTurnStatement } from "./persist-turn";
import type { PipelineResult } from "./pipeline-result";
import { chatResultOf, heardByPerson, nextStatus, turnFacts } from "./turn-record";
import { runTurnTransaction } from "./turn-transaction";

export type PipelineDeps = {
  db: Db;
  now?: () => Date;
  integrations?: IntegrationCaller;
  /** Resolved per tenant by the model router; absent means templates only. */
  llmFor?: (tenantId: string) => Promise<LlmGenerator | undefined>;
  /** Overrides the flow's turn budget (see FlowRuntime). */
  turnTimeoutMs?: number;
};

export type ProcessOptions = {
  /** Receives the bot turn's stream (see RunTurnArgs.onEvent); the result still carries every reply, once stored. */
  onEvent?: TurnStreamSink;
  /**
   * An admission check still on its way (server/channels/inbound.ts): awaited once the turn's opening
   * statements are back, before anything is read, run or written; a rejection rolls the turn back.
   */
  admitted?: Promise<void>;
  /** Committed in the turn's own write when it stores one (see TurnWrite.settles); a duplicate stores nothing, so its caller settles itself. */
  settles?: SQL;
};

export const FALLBACK_TEXT = "Sorry, I ran into a problem answering that. Please try again in a moment.";

function toUserInput(content: MessageContent): UserInput {
  switch (content.type) {
    case "text":
      return { type: "text", text: content.text };
    case "image":
      return { type: "image", url: content.url, mime_type: content.mime_type, caption: content.caption, size_bytes: content.size_bytes };
    case "file":
      return { type: "file", url: content.url, mime_type: content.mime_type, caption: content.caption, size_bytes: content.size_bytes, filename: content.filename };
    case "location":
      return { type: "location", latitude: content.latitude, longitude: content.longitude, name: content.name };
  }
}

/** Our own deadline: its message is safe to show the API caller, unlike an arbitrary failure's. */
class TurnTimeout extends Error {}

/**
 * A failure anywhere in the turn becomes a polite answer; the conversation state is left as it was. The
 * caller learns that it failed (and of a timeout, after how long), never an internal error's text.
 */
function fallbackTurn(state: ConversationState | null, error: unknown, messageId: string): TurnResult & { error: string } {
  if (!(error instanceof TurnTimeout)) console.error(`[pipeline] turn failed for message ${messageId}`, error);
  return {
    messages: [{ type: "text", text: FALLBACK_TEXT }],
    state: state ?? { current_state: "", current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [], retries: {}, turn_count: 0, status: "active" },
    trace: [],
    intent: { name: null, confidence: 0, alternatives: [] },
    entities: {},
    model_used: null,
    model_usage: null,
    model_calls: [],
    escalated: false,
    not_understood: false,
    error: error instanceof TurnTimeout ? error.message : `The turn failed; the server log has the cause under message ${messageId}.`,
  };
}

/** A model that cannot be loaded (database hiccup, undecryptable key) means templates, not a failed turn. */
async function modelFor(deps: PipelineDeps, tenantId: string): Promise<LlmGenerator | undefined> {
  try {
    return await deps.llmFor?.(tenantId);
  } catch (error) {
    console.warn(`[pipeline] model router unavailable for tenant ${tenantId}, answering from templates: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === "23505" || err?.cause?.code === "23505";
};

/**
 * One turn of one conversation: lock (and dedupe), run the flow, persist both sides in one statement, answer.
 * Admission checks (rate limits) belong before this, so a slow cache never holds the turn's
 * transaction, its row lock and a pooled connection.
 */
export async function processMessage(deps: PipelineDeps, tenantId: string, input: InboundMessage, options: ProcessOptions = {}): Promise<PipelineResult> {
  const started = performance.now();
  const now = deps.now?.() ?? new Date();
  const messageId = input.message_id ?? randomUUID();
  const llm = await modelFor(deps, tenantId);
  try {
    const outcome = await runTurnTransaction<PipelineResult>(deps.db, lockStatements(tenantId, input, now), async (opened, tx) => {
      await options.admitted;
      const { conversation, stored } = await resolveLock(opened, tx, tenantId, input);
      if (stored) return { write: null, value: { ...stored, duplicate: true } };
      const runtime = await loadFlowRuntime(tx, tenantId, conversation.flowVersionId);
      const prior = conversation.state;
      const userName = typeof input.channel_metadata?.user_name === "string" ? input.channel_metadata.user_name : undefined;
      const budget = deps.turnTimeoutMs ?? runtime.turnBudgetMs;
      const botTurn = async (): Promise<TurnResult & { error?: string }> => {
        try {
          return await withDeadline(
            budget,
            undefined,
            (signal) =>
              runTurn({ flow: runtime.flow, nlu: runtime.nlu, now, state: prior, input: toUserInput(input.content), context: { user_name: userName, returning_user: conversation.isNew && conversation.returningUser }, integrations: deps.integrations, llm, signal, ...(options.onEvent && { onEvent: options.onEvent }) }),
            () => {
              throw new TurnTimeout(`Turn exceeded ${budget} ms`);
            },
          );
        } catch (error) {
          return fallbackTurn(prior, error, messageId);
        }
      };
      const turn: TurnResult & { error?: string } = conversation.status === "with_agent" && prior ? heardByPerson(prior) : await botTurn();
      const processingMs = Math.round(performance.now() - started);
      const result: PipelineResult = { ...chatResultOf(turn, { messageId, conversationId: conversation.id, flowVersionId: runtime.versionId }, processingMs), duplicate: false };
      const write = persistTurnStatement({
        tenantId,
        conversation,
        input,
        messageId,
        now,
        result,
        replies: turn.messages,
        intent: turn.intent,
        modelUsed: turn.model_used,
        processingMs,
        state: turn.state as unknown as Record<string, unknown>,
        status: nextStatus(conversation.status, turn),
        facts: turnFacts(conversation.status, turn, input.sandbox === true),
        settles: options.settles,
      });
      return { write, value: result };
    });
    if (outcome.duplicate) return outcome;
    // The turn statement notified the other processes at commit.
    wakeLocalReaders(tenantId, outcome.conversation_id);
    if (input.delivery && outcome.response.messages.length) wakeDeliveryWorkers("outbox");
    return outcome;
  } catch (error) {
    // A concurrent redelivery won the race to insert the same message id: answer with its result.
    if (input.message_id && isUniqueViolation(error)) {
      const stored = await findStoredResult(deps.db, tenantId, input);
      if (stored) return { ...stored, duplicate: true };
    }
    throw error;
  }
}
