import type { DraftState } from "@/lib/flow-builder/document";
import type { StateType } from "@/server/flows/flow-schema";

/** One state of each type with every optional part filled, so a render shows every field its form can show. */
export const FULL_STATES: Record<string, DraftState & { type: StateType }> = {
  response: {
    type: "response",
    config: {
      response_templates: { default: "Hello {name}", returning_user: "Welcome back" },
      quick_replies: ["Yes", "No"],
      carousel: { items: [{ title: "Phone", subtitle: "New", image_url: "https://img.example.com/p.png", payload: "phone" }], max_items: 5 },
      end: false,
    },
    transitions: [{ condition: "any_input", target_state: "ask", priority: 10 }],
  },
  response_from_slot: {
    type: "response",
    config: { response_templates: { default: "Results" }, carousel: { source_slot: "results", item: { title: "{name}", payload: "{id}" } } },
    transitions: [],
  },
  intent: {
    type: "intent",
    config: { intent_patterns: ["greet", "order"], confidence_threshold: 0.7 },
    transitions: [
      { condition: "intent_match", condition_value: "greet", target_state: "hello", priority: 10 },
      { condition: "fallback", target_state: "ask", priority: 20 },
    ],
  },
  slot_filling: {
    type: "slot_filling",
    config: {
      required_slots: ["email"],
      optional_slots: ["budget", "product", "code"],
      prompts: { email: "Your email?", budget: "Budget?", product: "Which product?", code: "Code?" },
      validation: {
        email: { type: "email", error_message: "Not an email" },
        budget: { type: "money", min: 1, max: 100 },
        product: { type: "enum", list: "products" },
        code: { type: "regex", pattern: "^[A-Z]{3}$" },
      },
      max_retries: 2,
      on_max_retries: "Let's stop here.",
    },
    transitions: [{ condition: "slot_filled", condition_value: "email", target_state: "hello", priority: 10 }],
  },
  integration: {
    type: "integration",
    config: {
      integration_id: "orders",
      endpoint: "https://api.example.com/orders/{order_id}",
      method: "POST",
      headers: { Authorization: "Bearer token" },
      request_mapping: { q: "{input}", limit: 5 },
      response_mapping: { order_status: "data.status" },
      timeout_ms: 3000,
    },
    transitions: [
      { condition: "integration_success", target_state: "hello", priority: 10 },
      { condition: "integration_error", target_state: "ask", priority: 20 },
    ],
  },
  condition: {
    type: "condition",
    config: {
      conditions: [
        { operator: "gt", left: "{budget}", right: 100 },
        { operator: "exists", left: "{email}" },
      ],
      logic: "or",
    },
    transitions: [{ condition: "condition", target_state: "hello", priority: 10 }],
  },
  llm: {
    type: "llm",
    config: { system_prompt: "Be brief", prompt_template: "{input}", fallback_template: "Sorry", max_tokens: 200, model: "gpt-4o-mini", timeout_ms: 8000 },
    transitions: [],
  },
  handoff: { type: "handoff", config: { message: "A person will reply", waiting_message: "Still waiting", queue: "support" }, transitions: [] },
};
