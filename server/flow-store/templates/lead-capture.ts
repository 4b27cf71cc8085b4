import type { FlowDefinitionInput } from "../../flows/flow-schema";

/** Asks for name, email, phone and budget, then posts them to a webhook. */
export const leadCapture = {
  name: "lead-capture",
  version: "1.0",
  initial_state: "welcome",
  states: {
    welcome: {
      type: "response",
      config: { response_templates: { default: "Hi! Leave your details and our sales team will get back to you within one working day." } },
      // A reply that passes straight on: the first question follows the welcome in the same turn.
      transitions: [{ condition: "fallback", target_state: "collect_lead" }],
    },
    collect_lead: {
      type: "slot_filling",
      config: {
        required_slots: ["name", "email", "phone", "budget"],
        prompts: {
          name: "What's your name?",
          email: "Thanks, {name}. What's your email address?",
          phone: "And a phone number we can reach you on?",
          budget: "Last one: roughly what budget do you have in mind?",
        },
        validation: {
          email: { type: "email", error_message: "That doesn't look like an email address." },
          phone: { type: "phone", error_message: "That doesn't look like a phone number." },
          budget: { type: "money", min: 0, error_message: "Please give the budget as an amount, for example \"$5,000\"." },
        },
        max_retries: 3,
        on_max_retries: "Let's leave it there for now.",
      },
      transitions: [
        { condition: "slot_filled", target_state: "send_lead", priority: 10 },
        { condition: "fallback", target_state: "contact_us", priority: 999 },
      ],
    },
    send_lead: {
      type: "integration",
      config: {
        integration_id: "leads_webhook",
        endpoint: "https://hooks.example.com/leads",
        method: "POST",
        request_mapping: { name: "{name}", email: "{email}", phone: "{phone}", budget: "{budget}", source: "chatbot" },
        timeout_ms: 5000,
      },
      transitions: [
        { condition: "integration_success", target_state: "confirmed", priority: 10 },
        { condition: "integration_error", target_state: "contact_us", priority: 20 },
      ],
    },
    confirmed: {
      type: "response",
      config: { response_templates: { default: "Thanks, {name}! We'll contact you at {email} or {phone} about your ${budget} project within one working day." } },
      transitions: [],
    },
    contact_us: {
      type: "response",
      config: { response_templates: { default: "Sorry, I couldn't pass your details on. Please email sales@example.com and we'll get back to you." } },
      transitions: [],
    },
  },
} satisfies FlowDefinitionInput;
