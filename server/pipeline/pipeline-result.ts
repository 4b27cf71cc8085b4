import type { BotMessage, TurnResult } from "../flows/engine";

export type ApiResponse = {
  type: "text" | "carousel" | "handoff";
  text: string;
  confidence_score: number;
  quick_replies?: string[];
  items?: Extract<BotMessage, { type: "carousel" }>["items"];
  messages: BotMessage[];
};

export type PipelineResult = {
  message_id: string;
  conversation_id: string;
  response: ApiResponse;
  conversation_state: {
    current_state: string;
    current_intent: string | null;
    intent_confidence: number;
    entities: Record<string, unknown>;
    slots: Record<string, unknown>;
    missing_required_slots: string[];
  };
  processing_metadata: {
    processing_time_ms: number;
    model_used: string | null;
    flow_version_id: string | null;
    intent: TurnResult["intent"];
    entities: Record<string, unknown>;
    error?: string;
  };
  duplicate: boolean;
};

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
