import type { FlowDefinitionInput, StateType } from "@/server/flows/flow-schema";
import type { DraftState } from "./document";

type Defaults = { [T in StateType]: (definition: FlowDefinitionInput) => Extract<DraftState, { type: T }> };

/*
 * A new state's starting point: it parses with the state schema, so the draft stays saveable, and
 * its placeholders read as something to replace. Where no neutral value exists (an intent state
 * must listen for some intent) the placeholder is one the validator names, so the author picks.
 */
const DEFAULTS: Defaults = {
  response: () => ({ type: "response", config: { response_templates: { default: "Write what the bot says here." } }, transitions: [] }),
  intent: (definition) => ({
    type: "intent",
    config: { intent_patterns: [Object.keys(definition.intents ?? {})[0] ?? "greeting"], confidence_threshold: 0.6 },
    transitions: [],
  }),
  slot_filling: () => ({
    type: "slot_filling",
    config: {
      required_slots: ["email"],
      optional_slots: [],
      prompts: { email: "What is your email address?" },
      validation: { email: { type: "email", error_message: "That does not look like an email address. Please try again." } },
      max_retries: 3,
    },
    transitions: [],
  }),
  integration: () => ({
    type: "integration",
    config: {
      integration_id: "my_api",
      endpoint: "https://api.example.com/lookup?q={input}",
      method: "GET",
      request_mapping: {},
      response_mapping: {},
      timeout_ms: 5000,
    },
    transitions: [],
  }),
  condition: () => ({ type: "condition", config: { conditions: [{ operator: "exists", left: "{email}" }], logic: "and" }, transitions: [] }),
  llm: () => ({
    type: "llm",
    config: {
      system_prompt: "You are a friendly assistant for our customers. Answer briefly and only about our products and services.",
      fallback_template: "Sorry, I cannot answer that right now. Could you rephrase, or ask to talk to a person?",
      timeout_ms: 10_000,
    },
    transitions: [],
  }),
  handoff: () => ({
    type: "handoff",
    config: { message: "I am connecting you with a person from our team. They will reply here shortly." },
    transitions: [],
  }),
};

/** The state addState creates for a type; an intent state listens for the flow's first intent. */
export function defaultState<T extends StateType>(type: T, definition: FlowDefinitionInput): Extract<DraftState, { type: T }> {
  return DEFAULTS[type](definition);
}
