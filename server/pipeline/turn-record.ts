import type { ChannelType, ConversationEventKind, ConversationStatus } from "@/db/schema";
import type { ConversationState, TurnResult } from "../flows/engine";
import type { ModelCallRecord } from "../flows/ports";
import { costCents } from "../models/model-cost";
import { modelCallSchema, toApiResponse, type ChatResult } from "./pipeline-result";

/*
 * How a turn is recorded, shared by the pipeline (server/pipeline/persist-turn.ts) and the demo history
 * (server/demo/seed-conversation.ts) so both write the same rows the inbox and the analytics read.
 */

type Json = Record<string, unknown>;

/** While a person has the conversation the bot stays quiet: the message is stored for them, nothing is answered. */
export function heardByPerson(state: ConversationState): TurnResult {
  return { messages: [], state, trace: [], intent: { name: null, confidence: 0, alternatives: [] }, entities: {}, model_used: null, model_usage: null, model_calls: [], escalated: true, not_understood: false };
}

/** Who answers next: a person keeps the conversation they have; otherwise the turn's outcome decides. */
export function nextStatus(status: ConversationStatus, turn: TurnResult): ConversationStatus {
  if (status === "with_agent") return "with_agent";
  if (turn.escalated) return "escalated";
  return turn.state.status === "ended" ? "resolved" : "in_progress";
}

/** What the analytics and the inbox read about a turn. */
export type TurnFacts = {
  /** Flow states entered this turn, in order. */
  states: string[];
  notUnderstood: boolean;
  /** False while a person has the conversation (or it waits for one): the bot did not answer. */
  botAnswered: boolean;
  /** The state the conversation waits in after the turn. */
  currentState: string;
  costCents: number | null;
  tokens: { input: number; output: number } | null;
  sandbox: boolean;
  /** The router's records of the turn's model calls, stored as model_calls rows with the reply. */
  modelCalls: ModelCallRecord[];
};

/** The turn's cost: the router's records when it made them (tenant prices included), else the repo's table. */
function turnCost(turn: TurnResult): number | null {
  if (turn.model_calls.length) return Math.round(turn.model_calls.reduce((sum, c) => sum + c.cost_cents, 0) * 1e6) / 1e6;
  return turn.model_used && turn.model_usage ? costCents(turn.model_used, turn.model_usage) : null;
}

export function turnFacts(status: ConversationStatus, turn: TurnResult, sandbox: boolean): TurnFacts {
  return {
    states: [...new Set(turn.trace.map((step) => step.state))],
    notUnderstood: turn.not_understood,
    botAnswered: status === "in_progress" || status === "resolved",
    currentState: turn.state.current_state,
    costCents: turnCost(turn),
    tokens: turn.model_usage && { input: turn.model_usage.input_tokens, output: turn.model_usage.output_tokens },
    sandbox,
    modelCalls: turn.model_calls,
  };
}

/** The chat API's answer to a turn, also stored with the inbound message for redeliveries. */
export function chatResultOf(turn: TurnResult & { error?: string }, ids: { messageId: string; conversationId: string; flowVersionId: string | null }, processingMs: number): ChatResult {
  return {
    message_id: ids.messageId,
    conversation_id: ids.conversationId,
    response: toApiResponse(turn),
    conversation_state: {
      current_state: turn.state.current_state,
      current_intent: turn.state.current_intent,
      intent_confidence: turn.state.intent_confidence,
      entities: turn.state.entities,
      slots: turn.state.slots,
      missing_required_slots: turn.state.missing_required_slots,
    },
    processing_metadata: {
      processing_time_ms: processingMs,
      model_used: turn.model_used,
      // Parsed, so what the API shows is the documented shape (no connection ids of refused keys).
      model_call: turn.model_calls.length ? modelCallSchema.parse(turn.model_calls.at(-1)) : null,
      flow_version_id: ids.flowVersionId,
      intent: turn.intent,
      entities: turn.entities,
      ...(turn.error ? { error: turn.error } : {}),
    },
  };
}

export function inboundMetadata(result: Json, sender: { user_id: string; session_id?: string; channel_metadata?: Json }, facts: TurnFacts): Json {
  return {
    result,
    session_id: sender.session_id,
    channel_metadata: sender.channel_metadata ?? {},
    user_id: sender.user_id,
    states: facts.states,
    not_understood: facts.notUnderstood,
    bot_answered: facts.botAnswered,
  };
}

/** Web replies are delivered (the widget is open); other channels' replies wait for delivery. */
export const initialDeliveryStatus = (channel: ChannelType) => (channel === "web" ? "delivered" : "queued");

/** Metadata of each of a turn's replies; the turn's cost is written once, on its first reply, so sums count each call once. */
export function replyMetadata(facts: TurnFacts, reply: { channel: ChannelType; processingMs: number; modelUsed: string | null; confidence: number }): (index: number) => Json {
  const base = { author: "bot", state: facts.currentState, processing_time_ms: reply.processingMs, model_used: reply.modelUsed, delivery_status: initialDeliveryStatus(reply.channel), confidence: reply.confidence };
  const withCost = facts.costCents !== null || facts.tokens ? { ...base, cost_cents: facts.costCents, tokens: facts.tokens } : base;
  return (index) => (index === 0 ? withCost : base);
}

export type StatusChange = { kind: ConversationEventKind; from: ConversationStatus | null; to: ConversationStatus; actor: string };

/** The status changes a turn makes on its own: an end user reopening a resolved conversation, the bot handing off. */
export function turnStatusChanges(from: ConversationStatus | null, to: ConversationStatus): StatusChange[] {
  const changes: StatusChange[] = [];
  if (from === "resolved" && to !== "resolved") changes.push({ kind: "reopened", from: "resolved", to: "in_progress", actor: "end user" });
  if (to === "escalated" && from !== "escalated") changes.push({ kind: "handoff_requested", from: from === "resolved" ? "in_progress" : from, to: "escalated", actor: "bot" });
  return changes;
}
