import type { FlowDefinitionInput } from "../../flows/flow-schema";

const backToMenu = [{ condition: "any_input" as const, target_state: "router" }];

/** Order status looked up live by order number, a fallback, and a person on request. */
export const customerSupport = {
  name: "customer-support",
  version: "1.0",
  initial_state: "greeting",
  intents: {
    order_status: {
      examples: [
        "where is my order",
        "track my order",
        "what's the status of my order",
        "has my package shipped",
        "when will my order arrive",
        "check my order status",
        "my order number is ORD12345",
      ],
    },
    human_escalation: {
      examples: ["talk to a person", "I want to speak to a human", "connect me to an agent", "can I talk to someone", "real person please", "customer service representative"],
    },
    thanks: { examples: ["thanks", "thank you", "thanks a lot", "great, thank you", "cheers", "much appreciated"] },
  },
  states: {
    greeting: {
      type: "response",
      config: {
        response_templates: { default: "Hi! I'm the support assistant. I can check the status of an order or put you through to a person. What can I do for you?" },
        quick_replies: ["Where is my order?", "Talk to a person"],
      },
      transitions: backToMenu,
    },
    router: {
      type: "intent",
      config: { intent_patterns: ["order_status", "human_escalation", "thanks"], confidence_threshold: 0.6 },
      transitions: [
        { condition: "intent_match", condition_value: "order_status", target_state: "collect_order_number", priority: 10 },
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff", priority: 20 },
        { condition: "intent_match", condition_value: "thanks", target_state: "you_are_welcome", priority: 30 },
        { condition: "fallback", target_state: "not_understood", priority: 999 },
      ],
    },
    collect_order_number: {
      type: "slot_filling",
      config: {
        required_slots: ["order_number"],
        prompts: { order_number: "What's your order number? You'll find it in your confirmation email, e.g. ORD12345." },
        validation: { order_number: { type: "regex", pattern: "(ORD)?\\d{4,}", error_message: "That doesn't look like an order number." } },
        max_retries: 3,
        on_max_retries: "I still couldn't find an order number there.",
      },
      transitions: [
        { condition: "slot_filled", target_state: "order_lookup", priority: 10 },
        { condition: "fallback", target_state: "handoff", priority: 999 },
      ],
    },
    order_lookup: {
      type: "integration",
      config: {
        integration_id: "orders",
        endpoint: "https://api.example.com/orders/{order_number}",
        method: "GET",
        response_mapping: { order_status: "status", delivery_date: "estimated_delivery" },
        timeout_ms: 5000,
      },
      transitions: [
        { condition: "integration_success", target_state: "order_status_answer", priority: 10 },
        { condition: "integration_error", target_state: "order_lookup_failed", priority: 20 },
      ],
    },
    order_status_answer: {
      type: "response",
      config: { response_templates: { default: "Order {order_number} is {order_status}, estimated delivery {delivery_date}. Anything else I can help with?" } },
      transitions: backToMenu,
    },
    order_lookup_failed: {
      type: "response",
      config: {
        response_templates: { default: "I can't reach our order system right now, so I can't check order {order_number}. Please try again later, or I can put you through to a person." },
        quick_replies: ["Talk to a person"],
      },
      transitions: backToMenu,
    },
    you_are_welcome: {
      type: "response",
      config: { response_templates: { default: "You're welcome! Anything else I can help with?" } },
      transitions: backToMenu,
    },
    not_understood: {
      type: "response",
      config: {
        response_templates: { default: "Sorry, I didn't catch that. I can check the status of an order or put you through to a person." },
        quick_replies: ["Where is my order?", "Talk to a person"],
      },
      transitions: backToMenu,
    },
    handoff: {
      type: "handoff",
      config: {
        message: "I'm putting you through to a member of our team. They'll answer right here.",
        waiting_message: "A member of our team will be with you shortly.",
        queue: "support",
      },
      transitions: [],
    },
  },
} satisfies FlowDefinitionInput;
