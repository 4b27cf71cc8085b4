import type { FlowDefinitionInput } from "@/server/flows/flow-schema";

/** A flow with an intent router, a model-answered state and a template reply whose words a test changes. */
export const helpDesk = (shippingReply: string): FlowDefinitionInput => ({
  name: "help desk",
  version: "1.0",
  initial_state: "route",
  intents: {
    billing: { examples: ["question about my invoice", "I was charged twice", "billing problem", "my bill is wrong", "invoice amount"] },
    shipping: { examples: ["when will my parcel ship", "where is my package", "delivery time", "track my shipment", "has my parcel shipped"] },
  },
  states: {
    route: {
      type: "intent",
      config: { intent_patterns: ["billing", "shipping"] },
      transitions: [
        { condition: "intent_match", condition_value: "billing", target_state: "billing_help", priority: 10 },
        { condition: "intent_match", condition_value: "shipping", target_state: "shipping", priority: 20 },
        { condition: "fallback", target_state: "unknown", priority: 30 },
      ],
    },
    billing_help: { type: "llm", config: { system_prompt: "You answer billing questions.", fallback_template: "A billing specialist will write back." }, transitions: [{ condition: "any_input", target_state: "route" }] },
    shipping: { type: "response", config: { response_templates: { default: shippingReply } }, transitions: [{ condition: "any_input", target_state: "route" }] },
    unknown: { type: "response", config: { response_templates: { default: "Sorry, is this about billing or shipping?" } }, transitions: [{ condition: "any_input", target_state: "route" }] },
  },
});
