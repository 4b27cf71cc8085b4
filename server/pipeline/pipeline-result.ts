import { z } from "zod";
import { MODEL_CALL_STATUSES } from "@/db/schema";
import type { BotMessage, TurnResult } from "../flows/engine";
import { botMessageSchema } from "../flows/bot-message";
import { carouselItemSchema } from "../flows/flow-schema";

const jsonObject = z.record(z.string(), z.unknown());
const intentScoreSchema = z.object({ intent: z.string(), confidence: z.number() });

const ATTEMPT_ERROR_CLASSES = ["rate_limited", "server_error", "timeout", "connection", "unauthorized", "bad_request", "stream_cut", "empty", "circuit_open", "skipped_cost", "skipped_budget", "unpriced"] as const;

const modelAttemptSchema = z.object({
  provider: z.string(),
  model: z.string(),
  error_class: z.enum(ATTEMPT_ERROR_CLASSES).nullable().meta({ description: "Why this try did not answer; null for the one that did. skipped_* / unpriced / circuit_open: the router did not call it" }),
  http_status: z.number().int().nullable(),
  latency_ms: z.number(),
  message: z.string().optional(),
});

/** The router's record of a model call (ports.ts ModelCallRecord), as the API shows it. */
export const modelCallSchema = z.object({
  status: z.enum(MODEL_CALL_STATUSES),
  provider: z.string().nullable().meta({ description: "The provider that answered" }),
  model: z.string().nullable(),
  fallback_applied: z.boolean().meta({ description: "True when a model other than the chain's first was tried" }),
  attempts: z.array(modelAttemptSchema).meta({ description: "Every candidate of the chain considered, in order" }),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_cents: z.number().meta({ description: "US cents, by the price table (or the tenant's prices)" }),
  latency_ms: z.number(),
  ttft_ms: z.number().nullable().meta({ description: "Time to the first streamed token; null when not streamed" }),
  price_table_version: z.string(),
  reason: z.string().optional().meta({ description: "Plain words when status is not ok" }),
});
export type ModelCall = z.infer<typeof modelCallSchema>;

/** What POST /api/v2/chat/message answers with; also stored with the inbound message for redeliveries. */
export const chatResultSchema = z.object({
  message_id: z.string(),
  conversation_id: z.uuid(),
  response: z.object({
    type: z.enum(["text", "carousel", "handoff"]),
    /** Every reply's text, joined with blank lines. */
    text: z.string(),
    confidence_score: z.number(),
    quick_replies: z.array(z.string()).optional(),
    items: z.array(carouselItemSchema).optional(),
    messages: z.array(botMessageSchema),
  }),
  conversation_state: z.object({
    current_state: z.string(),
    current_intent: z.string().nullable(),
    intent_confidence: z.number(),
    entities: jsonObject,
    slots: jsonObject,
    missing_required_slots: z.array(z.string()),
  }),
  processing_metadata: z.object({
    processing_time_ms: z.number(),
    model_used: z.string().nullable(),
    model_call: modelCallSchema
      .nullable()
      .default(null)
      .meta({ description: "The turn's last model call: provider, model, fallback, every attempt, tokens, cost, latency; null when no model was asked" }),
    flow_version_id: z.uuid().nullable(),
    intent: z.object({ name: z.string().nullable(), confidence: z.number(), alternatives: z.array(intentScoreSchema) }),
    entities: jsonObject,
    /** Present when the turn failed and the visitor got the polite fallback answer. */
    error: z.string().optional(),
  }),
});
export type ChatResult = z.infer<typeof chatResultSchema>;

export type ApiResponse = ChatResult["response"];
export type PipelineResult = ChatResult & { duplicate: boolean };

/** Folds a turn's messages into the single `response` the API returns, keeping each message too. */
export function toApiResponse(turn: TurnResult): ApiResponse {
  const carousel = turn.messages.find((m): m is Extract<BotMessage, { type: "carousel" }> => m.type === "carousel");
  const quickReplies = [...turn.messages].reverse().find((m) => m.type === "text" && m.quick_replies?.length) as Extract<BotMessage, { type: "text" }> | undefined;
  return {
    type: turn.escalated ? "handoff" : carousel ? "carousel" : "text",
    text: turn.messages.map((m) => m.text).filter(Boolean).join("\n\n"),
    confidence_score: turn.intent.confidence,
    ...(quickReplies?.quick_replies ? { quick_replies: quickReplies.quick_replies } : {}),
    ...(carousel ? { items: carousel.items } : {}),
    messages: turn.messages,
  };
}
