import { describe, expect, it } from "vitest";
import type { LlmGenerator } from "@/server/flows/ports";
import { converse, defineFlow, texts } from "./flow-fixtures";

// Our specification's shape: a greeting response as initial_state, any_input on to an intent router.
const greetingFirst = defineFlow({
  name: "support",
  version: "1",
  initial_state: "welcome",
  intents: {
    order_inquiry: { examples: ["I need help with my order", "where is my order", "track my order", "my order has not arrived", "order status"] },
    opening_hours: { examples: ["when are you open", "what are your opening hours", "are you open on sunday", "opening times"] },
  },
  states: {
    welcome: {
      type: "response",
      config: { response_templates: { default: "Hi! I'm the Acme assistant." } },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
    router: {
      type: "intent",
      config: { intent_patterns: ["order_inquiry", "opening_hours"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "order_inquiry", target_state: "ask_order" },
        { condition: "intent_match", condition_value: "opening_hours", target_state: "hours" },
        { condition: "fallback", target_state: "not_understood" },
      ],
    },
    ask_order: {
      type: "slot_filling",
      config: { required_slots: ["order_number"], prompts: { order_number: "What is your order number?" }, validation: { order_number: { type: "regex", pattern: "^ORD\\d{6}$" } } },
      transitions: [{ condition: "slot_filled", target_state: "order_found" }],
    },
    order_found: { type: "response", config: { response_templates: { default: "Looking up {order_number}." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    hours: { type: "response", config: { response_templates: { default: "We are open 9 to 5." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    not_understood: { type: "response", config: { response_templates: { default: "I did not get that." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    bye: { type: "response", config: { response_templates: { default: "Bye!" } }, transitions: [] },
  },
});

describe("the opening message of a conversation", () => {
  it("is greeted and then classified, so the customer's request is not dropped", async () => {
    const chat = converse(greetingFirst);
    const first = await chat.say("I need help with my order");
    expect(texts(first)).toEqual(["Hi! I'm the Acme assistant.", "What is your order number?"]);
    expect(first.intent.name).toBe("order_inquiry");
    expect(first.state.current_state).toBe("ask_order");
    expect(first.trace.map((s) => s.state)).toEqual(["welcome", "welcome", "router", "ask_order"]);

    expect(texts(await chat.say("ORD123456"))).toEqual(["Looking up ORD123456."]);
  });

  it("that matches nothing leaves the greeting as the answer, with no 'did not get that' after it", async () => {
    const chat = converse(greetingFirst);
    const first = await chat.say("Hello");
    expect(texts(first)).toEqual(["Hi! I'm the Acme assistant."]);
    expect(first.state.current_state).toBe("welcome");
    expect(first.state.current_intent).toBeNull();
    expect(first.trace.map((s) => s.state)).toEqual(["welcome"]);

    // The next message goes through the router as usual.
    expect(texts(await chat.say("when are you open?"))).toEqual(["We are open 9 to 5."]);
  });

  it("is not an answer to a greeting's question when nothing reads it", async () => {
    const menu = defineFlow({
      name: "menu",
      version: "1",
      initial_state: "menu",
      states: {
        menu: { type: "response", config: { response_templates: { default: "Pick one" }, quick_replies: ["Orders", "Help"] }, transitions: [{ condition: "any_input", target_state: "cards" }] },
        cards: { type: "response", config: { response_templates: { default: "Our plans" } }, transitions: [{ condition: "any_input", target_state: "menu" }] },
      },
    });
    const chat = converse(menu);
    expect(texts(await chat.say("hi"))).toEqual(["Pick one"]);
    expect(texts(await chat.say("plans"))).toEqual(["Our plans"]);
  });

  it("never calls a model for input that may be taken back", async () => {
    let calls = 0;
    const llm: LlmGenerator = {
      async generate() {
        calls++;
        return { text: "Generated.", model: "m" };
      },
    };
    const toModel = defineFlow({
      name: "ask",
      version: "1",
      initial_state: "welcome",
      states: {
        welcome: { type: "response", config: { response_templates: { default: "Ask me anything." } }, transitions: [{ condition: "any_input", target_state: "answer" }] },
        answer: { type: "llm", config: { system_prompt: "Be brief.", fallback_template: "Sorry." }, transitions: [{ condition: "any_input", target_state: "answer" }] },
      },
    });
    const chat = converse(toModel, { llm });
    expect(texts(await chat.say("hello"))).toEqual(["Ask me anything."]);
    expect(calls).toBe(0);
    expect(texts(await chat.say("Do you ship abroad?"))).toEqual(["Generated."]);
    expect(calls).toBe(1);
  });

  it("keeps an intent router as initial state working as before: it routes the opening message itself", async () => {
    const routerFirst = defineFlow({ ...greetingFirst, initial_state: "router" });
    const chat = converse(routerFirst);
    expect(texts(await chat.say("I need help with my order"))).toEqual(["What is your order number?"]);
    expect(texts(await converse(routerFirst).say("Hello"))).toEqual(["I did not get that."]);
  });

  it("applies again when a finished conversation starts over", async () => {
    const ending = defineFlow({
      ...greetingFirst,
      states: { ...greetingFirst.states, hours: { type: "response", config: { response_templates: { default: "We are open 9 to 5." } }, transitions: [] } },
    });
    const chat = converse(ending);
    expect(texts(await chat.say("Hello"))).toEqual(["Hi! I'm the Acme assistant."]);
    const closed = await chat.say("when are you open?");
    expect(texts(closed)).toEqual(["We are open 9 to 5."]);
    expect(closed.state.status).toBe("ended");
    expect(texts(await chat.say("where is my order"))).toEqual(["Hi! I'm the Acme assistant.", "What is your order number?"]);
  });
});
