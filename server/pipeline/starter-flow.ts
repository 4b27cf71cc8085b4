import { flowDefinitionSchema, type FlowDefinition } from "../flows/flow-schema";

/**
 * What a tenant's bot runs before it publishes a flow of its own: a polite assistant that
 * greets, explains it can pass the conversation to the team, and never leaves a visitor unanswered.
 */
export const STARTER_FLOW: FlowDefinition = flowDefinitionSchema.parse({
  name: "starter",
  version: "1.0",
  initial_state: "router",
  intents: {
    greeting: { examples: ["hello", "hi there", "hey", "good morning", "hello, this is a test", "hi, anyone there?"] },
    human_escalation: { examples: ["talk to a human", "I want to speak to a person", "connect me with an agent", "real person please"] },
    thanks: { examples: ["thank you", "thanks a lot", "that helps, thanks", "great, thank you"] },
  },
  states: {
    router: {
      type: "intent",
      config: { intent_patterns: ["greeting", "human_escalation", "thanks"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "greeting", target_state: "greet", priority: 10 },
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff", priority: 10 },
        { condition: "intent_match", condition_value: "thanks", target_state: "welcome_thanks", priority: 10 },
        { condition: "fallback", target_state: "acknowledge", priority: 999 },
      ],
    },
    greet: {
      type: "response",
      config: {
        response_templates: { default: "Hello! Thanks for reaching out. How can I help you today?", returning_user: "Welcome back! How can I help you today?" },
        quick_replies: ["Talk to a human"],
      },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
    welcome_thanks: {
      type: "response",
      config: { response_templates: { default: "You're welcome! Is there anything else I can help with?" } },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
    acknowledge: {
      type: "response",
      config: {
        response_templates: { default: "Thanks for your message! I can pass this conversation to our team if you'd like to talk to a person." },
        quick_replies: ["Talk to a human"],
      },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
    handoff: { type: "handoff", config: { message: "I'm connecting you with our team. Someone will reply here shortly." }, transitions: [] },
  },
});
