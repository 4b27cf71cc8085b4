import { describe, expect, it } from "vitest";
import { converse, defineFlow, texts } from "./flow-fixtures";

/** The flow format from the spec: a greeting that waits, then an intent router. */
const specFlow = defineFlow({
  name: "support",
  version: "1.0",
  initial_state: "greeting",
  intents: { help: { examples: ["I need help", "can you support me"] } },
  states: {
    greeting: {
      type: "response",
      config: { response_templates: { default: "Hello {user_name}! How can I help?", returning_user: "Welcome back!" } },
      transitions: [{ condition: "any_input", target_state: "detect", priority: 100 }],
    },
    detect: {
      type: "intent",
      config: { intent_patterns: ["help", "order_inquiry"], confidence_threshold: 0.7 },
      transitions: [
        { condition: "intent_match", condition_value: "help", target_state: "help", priority: 100 },
        { condition: "intent_match", condition_value: "order_inquiry", target_state: "orders", priority: 100 },
        { condition: "fallback", target_state: "fallback", priority: 999 },
      ],
    },
    help: { type: "response", config: { response_templates: { default: "I'm here to help!" } }, transitions: [] },
    orders: { type: "response", config: { response_templates: { default: "Let's find your order." } }, transitions: [] },
    fallback: {
      type: "response",
      config: { response_templates: { default: "Sorry, could you rephrase?" } },
      transitions: [{ condition: "any_input", target_state: "detect" }],
    },
  },
});

describe("response state", () => {
  it("answers a new conversation's opening message with the greeting, then routes the next by intent", async () => {
    const chat = converse(specFlow);
    const first = await chat.say("Hello");
    expect(texts(first)).toEqual(["Hello! How can I help?"]);
    expect(first.state.current_state).toBe("greeting");

    const second = await chat.say("I need help");
    expect(texts(second)).toEqual(["I'm here to help!"]);
    expect(second.intent).toMatchObject({ name: "help" });
    expect(second.trace.map((s) => s.state)).toEqual(["greeting", "detect", "help"]);
  });

  it("personalises the greeting with the user's name from the turn context", async () => {
    const chat = converse(specFlow, { context: { user_name: "Priya" } });
    expect(texts(await chat.say("hi"))).toEqual(["Hello Priya! How can I help?"]);
  });

  it("greets a user the channel knows as returning with the returning_user variant", async () => {
    const chat = converse(specFlow, { context: { returning_user: true } });
    expect(texts(await chat.say("hi"))).toEqual(["Welcome back!"]);
  });

  it("routes a keyword intent when its name's words appear in the message", async () => {
    const chat = converse(specFlow);
    await chat.say("hi");
    expect(texts(await chat.say("it's an order inquiry"))).toEqual(["Let's find your order."]);
  });

  it("ends the conversation at a response without transitions, and restarts with the returning_user variant", async () => {
    const chat = converse(specFlow);
    await chat.say("hi");
    const ended = await chat.say("I need help");
    expect(ended.state.status).toBe("ended");

    const again = await chat.say("hello?");
    expect(texts(again)).toEqual(["Welcome back!"]);
    expect(again.state).toMatchObject({ status: "active", current_state: "greeting" });
    expect(again.trace[0]?.state).toBe("greeting");
  });

  it("ends the conversation at a response marked end even though it has transitions", async () => {
    const flow = defineFlow({
      name: "f",
      version: "1",
      initial_state: "bye",
      states: {
        bye: { type: "response", config: { response_templates: { default: "Bye!" }, end: true }, transitions: [{ condition: "any_input", target_state: "bye" }] },
      },
    });
    expect((await converse(flow).say("thanks")).state.status).toBe("ended");
  });

  it("passes straight through a response without an any_input transition", async () => {
    const flow = defineFlow({
      name: "f",
      version: "1",
      initial_state: "notice",
      states: {
        notice: {
          type: "response",
          config: { response_templates: { default: "Note: we are closed today." } },
          transitions: [{ condition: "fallback", target_state: "ask" }],
        },
        ask: { type: "response", config: { response_templates: { default: "What can I do?" } }, transitions: [{ condition: "any_input", target_state: "ask" }] },
      },
    });
    const result = await converse(flow).say("hi");
    expect(texts(result)).toEqual(["Note: we are closed today.", "What can I do?"]);
    expect(result.state.current_state).toBe("ask");
  });

  it("attaches quick replies and builds a carousel from static items", async () => {
    const flow = defineFlow({
      name: "f",
      version: "1",
      initial_state: "menu",
      states: {
        menu: {
          type: "response",
          config: {
            response_templates: { default: "Pick one" },
            quick_replies: ["Orders", "Help"],
          },
          transitions: [{ condition: "any_input", target_state: "cards" }],
        },
        cards: {
          type: "response",
          config: {
            response_templates: { default: "Our plans" },
            carousel: { items: [{ title: "Basic", subtitle: "$5" }, { title: "Pro", payload: "pro" }] },
          },
          transitions: [{ condition: "any_input", target_state: "menu" }],
        },
      },
    });
    const chat = converse(flow);
    expect((await chat.say("hi")).messages).toEqual([{ type: "text", text: "Pick one", quick_replies: ["Orders", "Help"] }]);
    expect((await chat.say("plans")).messages).toEqual([
      { type: "carousel", text: "Our plans", items: [{ title: "Basic", subtitle: "$5" }, { title: "Pro", payload: "pro" }] },
    ]);
  });
});
