import { z } from "zod";
import type { FlowDefinition } from "./flow-schema";

/** Persisted between turns as plain JSON; nothing in here may need a reviver. */
export const conversationStateSchema = z.object({
  current_state: z.string(),
  current_intent: z.string().nullable(),
  intent_confidence: z.number(),
  entities: z.record(z.string(), z.unknown()),
  slots: z.record(z.string(), z.unknown()),
  missing_required_slots: z.array(z.string()),
  /** Keyed "<state>.<slot>". */
  retries: z.record(z.string(), z.number()),
  turn_count: z.number().int().nonnegative(),
  status: z.enum(["active", "ended", "escalated"]),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export function startState(flow: FlowDefinition): ConversationState {
  return {
    current_state: flow.initial_state,
    current_intent: null,
    intent_confidence: 0,
    entities: {},
    slots: {},
    missing_required_slots: [],
    retries: {},
    turn_count: 0,
    status: "active",
  };
}
