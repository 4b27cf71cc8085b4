import type { FlowDefinitionInput } from "../../flows/flow-schema";

const backToMenu = [{ condition: "any_input" as const, target_state: "router" }];

/** Greets, and passes the visitor to a person as soon as they ask for one. */
export const humanHandoff = {
  name: "human-handoff",
  version: "1.0",
  initial_state: "greeting",
  intents: {
    human_escalation: {
      examples: ["talk to a person", "I want to speak to a human", "connect me to an agent", "can I talk to someone", "real person please", "get me a representative"],
    },
    thanks: { examples: ["thanks", "thank you", "thanks a lot", "great, thank you", "cheers", "much appreciated"] },
  },
  states: {
    greeting: {
      type: "response",
      config: {
        response_templates: { default: "Hi! Our team is here to help. Say \"talk to a person\" whenever you'd like to chat with one of us." },
        quick_replies: ["Talk to a person"],
      },
      transitions: backToMenu,
    },
    router: {
      type: "intent",
      config: { intent_patterns: ["human_escalation", "thanks"], confidence_threshold: 0.6 },
      transitions: [
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff", priority: 10 },
        { condition: "intent_match", condition_value: "thanks", target_state: "you_are_welcome", priority: 20 },
        { condition: "fallback", target_state: "offer_person", priority: 999 },
      ],
    },
    you_are_welcome: {
      type: "response",
      config: { response_templates: { default: "You're welcome!" } },
      transitions: backToMenu,
    },
    offer_person: {
      type: "response",
      config: {
        response_templates: { default: "I'm only a simple assistant. Shall I put you through to a person?" },
        quick_replies: ["Talk to a person"],
      },
      transitions: backToMenu,
    },
    handoff: {
      type: "handoff",
      config: {
        message: "I'm putting you through to a member of our team. They'll answer right here.",
        waiting_message: "Thanks for waiting: a member of our team will be with you shortly.",
        queue: "support",
      },
      transitions: [],
    },
  },
} satisfies FlowDefinitionInput;
