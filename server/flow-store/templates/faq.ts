import type { FlowDefinitionInput } from "../../flows/flow-schema";

const backToQuestions = [{ condition: "any_input" as const, target_state: "router" }];
const answer = (text: string) => ({ type: "response" as const, config: { response_templates: { default: `${text} Anything else?` } }, transitions: backToQuestions });

/** Fixed answers to frequent questions; the AI model answers the rest, with a fixed reply when it cannot. */
export const faq = {
  name: "faq",
  version: "1.0",
  initial_state: "greeting",
  intents: {
    opening_hours: {
      examples: ["what are your opening hours", "when are you open", "what time do you close", "are you open on sunday", "opening times", "business hours"],
    },
    shipping: {
      examples: ["how long does shipping take", "do you ship internationally", "how much is delivery", "when will my parcel arrive", "shipping costs", "do you deliver abroad"],
    },
    returns: {
      examples: ["what is your return policy", "can I return an item", "how do refunds work", "I want to send something back", "return a product", "how long do I have to return"],
    },
    payment_methods: {
      examples: ["what payment methods do you accept", "can I pay with paypal", "do you take credit cards", "can I pay by bank transfer", "payment options", "do you accept apple pay"],
    },
  },
  states: {
    greeting: {
      type: "response",
      config: { response_templates: { default: "Hi! Ask me anything about opening hours, shipping, returns or payment." } },
      transitions: backToQuestions,
    },
    router: {
      type: "intent",
      config: { intent_patterns: ["opening_hours", "shipping", "returns", "payment_methods"], confidence_threshold: 0.6 },
      transitions: [
        { condition: "intent_match", condition_value: "opening_hours", target_state: "answer_opening_hours", priority: 10 },
        { condition: "intent_match", condition_value: "shipping", target_state: "answer_shipping", priority: 20 },
        { condition: "intent_match", condition_value: "returns", target_state: "answer_returns", priority: 30 },
        { condition: "intent_match", condition_value: "payment_methods", target_state: "answer_payment_methods", priority: 40 },
        { condition: "fallback", target_state: "ask_ai", priority: 999 },
      ],
    },
    answer_opening_hours: answer("We're open Monday to Friday, 9am to 6pm, and Saturday 10am to 4pm."),
    answer_shipping: answer("Orders ship within 2 working days; delivery takes 3 to 5 days, and we ship to most countries."),
    answer_returns: answer("You can return any item within 30 days for a full refund."),
    answer_payment_methods: answer("We accept credit and debit cards, PayPal and bank transfer."),
    ask_ai: {
      type: "llm",
      config: {
        system_prompt: "You answer customers' questions about our shop briefly and politely. If you don't know the answer, say so and suggest emailing support@example.com.",
        prompt_template: "Customer question: {input}",
        fallback_template: "I'm not sure about that one. Please email support@example.com and our team will help.",
        max_tokens: 300,
        timeout_ms: 10000,
      },
      transitions: backToQuestions,
    },
  },
} satisfies FlowDefinitionInput;
