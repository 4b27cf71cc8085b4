import { describe, expect, it } from "vitest";
import { runTurn, startState } from "@/server/flows/engine";
import { FlowDefinitionError, FlowLoopError } from "@/server/flows/flow-errors";
import { buildFlowNlu } from "@/server/pipeline/flow-nlu";
import { converse, defineFlow, NOW, texts } from "./flow-fixtures";

const loop = defineFlow({
  name: "loop",
  version: "1",
  initial_state: "a",
  states: {
    a: { type: "condition", config: { conditions: [{ operator: "exists", left: "{x}" }] }, transitions: [{ condition: "fallback", target_state: "b" }] },
    b: { type: "condition", config: { conditions: [{ operator: "exists", left: "{x}" }] }, transitions: [{ condition: "fallback", target_state: "a" }] },
  },
});

describe("turn execution limits", () => {
  it("stops a loop of pass-through states with a FlowLoopError naming the states visited", async () => {
    const error = await converse(loop, { maxSteps: 4 })
      .say("hi")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowLoopError);
    expect((error as FlowLoopError).visited).toEqual(["a", "b", "a", "b"]);
    expect((error as FlowLoopError).code).toBe("flow_loop");
  });

  it("allows 25 steps by default, or the flow's settings.max_steps", async () => {
    const byDefault = await converse(loop).say("hi").catch((e: FlowLoopError) => e.visited.length);
    expect(byDefault).toBe(25);
    const configured = await converse(defineFlow({ ...loop, settings: { max_steps: 7 } }))
      .say("hi")
      .catch((e: FlowLoopError) => e.visited.length);
    expect(configured).toBe(7);
  });

  it("throws a FlowDefinitionError for a transition to a state the flow lacks", async () => {
    const broken = defineFlow({
      name: "b",
      version: "1",
      initial_state: "a",
      states: { a: { type: "condition", config: { conditions: [] }, transitions: [{ condition: "fallback", target_state: "ghost" }] } },
    });
    await expect(converse(broken).say("hi")).rejects.toBeInstanceOf(FlowDefinitionError);
  });
});

const media = defineFlow({
  name: "media",
  version: "1",
  initial_state: "ask",
  intents: { receipt: { examples: ["here is my receipt", "photo of the receipt"] } },
  states: {
    ask: {
      type: "slot_filling",
      config: { required_slots: ["location"], prompts: { location: "Where are you?" } },
      transitions: [{ condition: "slot_filled", target_state: "thanks" }],
    },
    thanks: {
      type: "response",
      config: { response_templates: { default: "Got your location." } },
      transitions: [{ condition: "any_input", target_state: "router" }],
    },
    router: {
      type: "intent",
      config: { intent_patterns: ["receipt"] },
      transitions: [
        { condition: "intent_match", condition_value: "receipt", target_state: "receipt" },
        { condition: "fallback", target_state: "thanks" },
      ],
    },
    receipt: { type: "response", config: { response_templates: { default: "Thanks for the receipt." } }, transitions: [] },
  },
});

describe("non-text input", () => {
  it("stores a shared location in slots.location, where a slot can take it", async () => {
    const chat = converse(media);
    await chat.say("hi");
    const result = await chat.send({ type: "location", latitude: 51.5, longitude: -0.12 });
    expect(result.state.slots.location).toEqual({ latitude: 51.5, longitude: -0.12 });
    expect(texts(result)).toEqual(["Got your location."]);
  });

  it("stores an attachment in slots.last_attachment, counts it as input and classifies its caption", async () => {
    const chat = converse(media);
    await chat.say("hi");
    await chat.send({ type: "location", latitude: 1, longitude: 2 });
    const result = await chat.send({ type: "image", url: "https://cdn.example/r.jpg", mime_type: "image/jpeg", caption: "here is my receipt" });
    expect(result.state.slots.last_attachment).toEqual({
      type: "image",
      url: "https://cdn.example/r.jpg",
      mime_type: "image/jpeg",
      caption: "here is my receipt",
    });
    expect(texts(result)).toEqual(["Thanks for the receipt."]);
  });
});

describe("conversation state across turns", () => {
  const nlu = buildFlowNlu(media);

  it("treats a fresh startState like no state: the initial state is entered", async () => {
    const result = await runTurn({ flow: media, nlu, state: startState(media), input: { type: "text", text: "hi" }, now: NOW });
    expect(texts(result)).toEqual(["Where are you?"]);
    expect(result.state.turn_count).toBe(1);
  });

  it("restarts at initial_state, keeping slots, when the saved state no longer exists in the flow", async () => {
    const saved = { ...startState(media), current_state: "removed_in_v2", turn_count: 3, slots: { name: "Jo" } };
    const result = await runTurn({ flow: media, nlu, state: saved, input: { type: "text", text: "hi" }, now: NOW });
    expect(result.state.current_state).toBe("ask");
    expect(result.state.slots).toMatchObject({ name: "Jo" });
  });

  it("does not mutate the state it was given", async () => {
    const given = startState(media);
    const snapshot = structuredClone(given);
    await runTurn({ flow: media, nlu, state: given, input: { type: "location", latitude: 1, longitude: 2 }, now: NOW });
    expect(given).toEqual(snapshot);
  });

  it("records each step in the trace with the transition taken", async () => {
    const chat = converse(media);
    await chat.say("hi");
    const result = await chat.send({ type: "location", latitude: 1, longitude: 2 });
    expect(result.trace).toEqual([
      { state: "ask", type: "slot_filling", transition: "slot_filled" },
      { state: "thanks", type: "response" },
    ]);
  });
});
