import { z } from "zod";
import type { BotMessage, TurnResult } from "../flows/engine";
import { botMessageSchema } from "../flows/bot-message";
import { carouselItemSchema } from "../flows/flow-schema";

const jsonObject = z.record(z.string(), z.unknown());
const intentScoreSchema = z.object({ intent: z.string(), confidence: z.number() });

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
