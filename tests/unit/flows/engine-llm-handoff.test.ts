import { describe, expect, it } from "vitest";
import type { StateOf } from "@/server/flows/flow-schema";
import type { LlmGenerator, LlmRequest } from "@/server/flows/ports";
import { converse, defineFlow, texts } from "./flow-fixtures";

const flow = defineFlow({
  name: "faq",
  version: "1",
  initial_state: "answer",
  states: {
    answer: {
      type: "llm",
      config: {
        system_prompt: "You answer for {shop}.",
        prompt_template: "Question: {input}",
        fallback_template: "I can't answer that right now, {user_name}.",
        max_tokens: 200,
        model: "small",
      },
      transitions: [{ condition: "any_input", target_state: "answer" }],
    },
  },
});

describe("llm state", () => {
  it("generates through the injected generator with the rendered prompts and the slots", async () => {
    const requests: LlmRequest[] = [];
    const llm: LlmGenerator = {
      async generate(req) {
        requests.push(req);
        return { text: "We ship worldwide.", model: "gpt-test" };
      },
    };
    const result = await converse(flow, { llm }).say("Do you ship abroad?");
    expect(requests).toEqual([
      { system_prompt: "You answer for.", prompt: "Question: Do you ship abroad?", slots: {}, max_tokens: 200, model: "small", timeout_ms: 10_000, routing: [], signal: expect.any(AbortSignal) },
    ]);
    expect(texts(result)).toEqual(["We ship worldwide."]);
    expect(result.model_used).toBe("gpt-test");
  });

  it("answers with the fallback template when no generator is injected", async () => {
    const result = await converse(flow, { context: { user_name: "Sam" } }).say("Do you ship abroad?");
    expect(texts(result)).toEqual(["I can't answer that right now, Sam."]);
    expect(result.model_used).toBeNull();
  });

  it("answers with the fallback template when the generator throws, e.g. out of budget", async () => {
    const llm: LlmGenerator = {
      generate: async () => {
        throw new Error("budget exhausted");
      },
    };
    const result = await converse(flow, { llm }).say("Do you ship abroad?");
    expect(texts(result)).toEqual(["I can't answer that right now."]);
    expect(result.model_used).toBeNull();
  });

  it("answers with the fallback template once the state's timeout passes, and tells the generator to stop", async () => {
    let seen: AbortSignal | undefined;
    const llm: LlmGenerator = {
      generate: (req) => {
        seen = req.signal;
        return new Promise(() => {});
      },
    };
    const answer = flow.states.answer as StateOf<"llm">;
    const quick = defineFlow({ ...flow, states: { answer: { ...answer, config: { ...answer.config, timeout_ms: 50 } } } });
    const started = performance.now();
    const result = await converse(quick, { llm }).say("Do you ship abroad?");
    expect(texts(result)).toEqual(["I can't answer that right now."]);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(seen?.aborted).toBe(true);
  });

  it("answers with the fallback template when the generator returns nothing", async () => {
    const llm: LlmGenerator = { generate: async () => ({ text: "  ", model: "m" }) };
    expect(texts(await converse(flow, { llm }).say("?"))).toEqual(["I can't answer that right now."]);
  });
});

describe("handoff state", () => {
  const handoff = defineFlow({
    name: "h",
    version: "1",
    initial_state: "human",
    states: { human: { type: "handoff", config: { message: "Connecting you now.", queue: "billing" }, transitions: [] } },
  });

  it("sends a handoff message with its queue and marks the conversation escalated", async () => {
    const result = await converse(handoff).say("I want a person");
    expect(result.messages).toEqual([{ type: "handoff", text: "Connecting you now.", queue: "billing" }]);
    expect(result.escalated).toBe(true);
    expect(result.state.status).toBe("escalated");
  });

  it("answers each message while escalated with the handoff message, never with silence, and leaves the conversation to a person", async () => {
    const chat = converse(handoff);
    await chat.say("I want a person");
    const result = await chat.say("hello? anyone?");
    expect(result.messages).toEqual([{ type: "handoff", text: "Connecting you now.", queue: "billing" }]);
    expect(result.escalated).toBe(true);
    expect(result.state.current_state).toBe("human");
    expect(result.state.turn_count).toBe(1);
  });

  it("answers with the configured waiting message while a person is awaited", async () => {
    const waiting = defineFlow({
      name: "handoff",
      version: "1",
      initial_state: "human",
      states: { human: { type: "handoff", config: { message: "Connecting you now.", waiting_message: "Still looking for a free colleague, {user_name}." }, transitions: [] } },
    });
    const chat = converse(waiting, { context: { user_name: "Ana" } });
    expect(texts(await chat.say("I want a person"))).toEqual(["Connecting you now."]);
    expect(texts(await chat.say("hello?"))).toEqual(["Still looking for a free colleague, Ana."]);
  });
});
