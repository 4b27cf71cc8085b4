import { describe, expect, it, vi } from "vitest";
import { DEFAULT_NOT_UNDERSTOOD } from "@/server/flows/engine";
import type { IntegrationCaller, IntegrationRequest } from "@/server/flows/ports";
import { converse, defineFlow, texts } from "./flow-fixtures";

const reply = (text: string, back = "router") => ({
  type: "response" as const,
  config: { response_templates: { default: text } },
  transitions: [{ condition: "any_input" as const, target_state: back }],
});

describe("intent state", () => {
  const flow = defineFlow({
    name: "f",
    version: "1",
    initial_state: "router",
    intents: {
      track: { examples: ["where is my order", "track my package", "order status"] },
      hours: { examples: ["when are you open", "opening hours"] },
    },
    entities: { lists: { products: ["laptop", "phone"] } },
    states: {
      router: {
        type: "intent",
        config: { intent_patterns: ["track", "hours"], confidence_threshold: 0.6 },
        transitions: [
          { condition: "intent_match", condition_value: "track", target_state: "tracking" },
          { condition: "intent_match", condition_value: "hours", target_state: "opening" },
          { condition: "fallback", target_state: "confused", priority: 999 },
        ],
      },
      tracking: reply("Tracking order {order_number}."),
      opening: reply("9 to 5."),
      confused: reply("Sorry?"),
    },
  });

  it("sets the current intent and its confidence, and routes on it", async () => {
    const result = await converse(flow).say("where is my order ORD123456?");
    expect(result.state.current_intent).toBe("track");
    expect(result.state.intent_confidence).toBeGreaterThan(0.6);
    expect(result.intent.name).toBe("track");
    expect(texts(result)).toEqual(["Tracking order ORD123456."]);
  });

  it("merges the entities of the message into entities and slots", async () => {
    const result = await converse(flow).say("order status for my phone, ORD555555");
    expect(result.entities).toMatchObject({ order_number: "ORD555555", product: "phone" });
    expect(result.state.entities).toEqual(result.entities);
    expect(result.state.slots).toMatchObject({ order_number: "ORD555555", product: "phone" });
  });

  it("takes the fallback for a message that matches no intent", async () => {
    const result = await converse(flow).say("banana smoothie recipe");
    expect(texts(result)).toEqual(["Sorry?"]);
    expect(result.state.current_intent).toBeNull();
    expect(result.intent.name).toBeNull();
  });

  // A dead end is only a warning now (the editor publishes work in progress): it must still answer.
  it("answers the not-understood message at an intent state with no transitions at all, and stays there", async () => {
    const deadEnd = defineFlow({ ...flow, states: { ...flow.states, router: { ...flow.states.router!, transitions: [] } } });
    const result = await converse(deadEnd).say("where is my order");
    expect(texts(result)).toEqual([DEFAULT_NOT_UNDERSTOOD]);
    expect(result.state.current_state).toBe("router");
  });

  it("never answers with silence when nothing matches and the flow declares no fallback", async () => {
    const routes = flow.states.router!.transitions.filter((t) => t.condition !== "fallback");
    const noFallback = defineFlow({ ...flow, states: { ...flow.states, router: { ...flow.states.router!, transitions: routes } } });
    const chat = converse(noFallback);
    const result = await chat.say("banana smoothie recipe");
    expect(texts(result)).toEqual([DEFAULT_NOT_UNDERSTOOD]);
    expect(result.state.current_state).toBe("router");
    // The conversation is still listening: the next message is routed normally.
    expect(texts(await chat.say("when are you open"))).toEqual(["9 to 5."]);
    const custom = defineFlow({ ...noFallback, settings: { not_understood: "Try 'track my order' or 'opening hours'." } });
    expect(texts(await converse(custom).say("banana smoothie recipe"))).toEqual(["Try 'track my order' or 'opening hours'."]);
  });

  it("rejects a guess below the state's threshold and reports it as the first alternative", async () => {
    const router = flow.states.router!;
    const strict = defineFlow({
      ...flow,
      states: {
        ...flow.states,
        router: { type: "intent", config: { intent_patterns: ["track", "hours"], confidence_threshold: 0.99 }, transitions: router.transitions },
      },
    });
    const result = await converse(strict).say("where's my parcel");
    expect(texts(result)).toEqual(["Sorry?"]);
    expect(result.intent.name).toBeNull();
    expect(result.intent.alternatives[0]?.intent).toBe("track");
    expect(result.state.intent_confidence).toBeGreaterThan(0);
  });
});

describe("condition state", () => {
  const flow = defineFlow({
    name: "f",
    version: "1",
    initial_state: "router",
    entities: { lists: {} },
    states: {
      router: {
        type: "condition",
        config: {
          conditions: [
            { operator: "exists", left: "{budget}" },
            { operator: "lte", left: "{budget}", right: 500 },
          ],
          logic: "and",
        },
        transitions: [
          { condition: "condition", target_state: "cheap" },
          { condition: "fallback", target_state: "other", priority: 999 },
        ],
      },
      cheap: reply("Budget picks coming up."),
      other: reply("Let's look at everything."),
    },
  });

  it("follows the condition transition when its conditions hold, reading this message's entities", async () => {
    expect(texts(await converse(flow).say("under $300"))).toEqual(["Budget picks coming up."]);
  });

  it("takes the fallback when a condition fails or its reference is missing", async () => {
    expect(texts(await converse(flow).say("under $900"))).toEqual(["Let's look at everything."]);
    expect(texts(await converse(flow).say("show me everything"))).toEqual(["Let's look at everything."]);
  });

  it("reads a slot filled on an earlier turn", async () => {
    const collectFirst = defineFlow({
      ...flow,
      initial_state: "collect",
      states: {
        ...flow.states,
        collect: {
          type: "slot_filling",
          config: { required_slots: ["budget"], prompts: { budget: "Budget?" }, validation: { budget: { type: "money" } } },
          transitions: [{ condition: "slot_filled", target_state: "router" }],
        },
      },
    });
    const chat = converse(collectFirst);
    expect(texts(await chat.say("hi"))).toEqual(["Budget?"]);
    expect(texts(await chat.say("300"))).toEqual(["Budget picks coming up."]);
  });
});

describe("integration state", () => {
  const flow = defineFlow({
    name: "f",
    version: "1",
    initial_state: "collect",
    states: {
      collect: {
        type: "slot_filling",
        config: { required_slots: ["order_number"], prompts: { order_number: "Order number?" } },
        transitions: [{ condition: "slot_filled", target_state: "lookup" }],
      },
      lookup: {
        type: "integration",
        config: {
          integration_id: "orders",
          endpoint: "https://api.example/orders/{order_number}",
          method: "POST",
          headers: { "x-source": "bot" },
          request_mapping: { id: "{order_number}", note: "lookup for {order_number}" },
          response_mapping: { order_status: "order.status", first_item: "order.items.0.name" },
          timeout_ms: 50,
        },
        transitions: [
          { condition: "integration_success", target_state: "found" },
          { condition: "integration_error", target_state: "failed" },
        ],
      },
      found: reply("Order {order_number}: {order_status} ({first_item}).", "collect"),
      failed: reply("Our order system is down; we'll email you about {order_number}.", "collect"),
    },
  });

  it("calls the injected caller with the rendered request and maps the response into slots", async () => {
    const calls: IntegrationRequest[] = [];
    const integrations: IntegrationCaller = {
      async call(req) {
        calls.push(req);
        return { ok: true, status: 200, data: { order: { status: "shipped", items: [{ name: "Laptop" }] } } };
      },
    };
    const result = await converse(flow, { integrations }).say("ORD123456");
    expect(calls).toEqual([
      {
        integration_id: "orders",
        endpoint: "https://api.example/orders/ORD123456",
        method: "POST",
        headers: { "x-source": "bot" },
        body: { id: "ORD123456", note: "lookup for ORD123456" },
        timeout_ms: 50,
        signal: expect.any(AbortSignal),
      },
    ]);
    expect(result.state.slots).toMatchObject({ order_status: "shipped", first_item: "Laptop" });
    expect(texts(result)).toEqual(["Order ORD123456: shipped (Laptop)."]);
    expect(result.trace.find((s) => s.state === "lookup")?.transition).toBe("integration_success");
  });

  it("follows integration_error when the caller reports an error", async () => {
    const integrations: IntegrationCaller = { call: async () => ({ ok: false, error: "HTTP 503" }) };
    expect(texts(await converse(flow, { integrations }).say("ORD123456"))).toEqual([
      "Our order system is down; we'll email you about ORD123456.",
    ]);
  });

  it("treats an HTTP error status, a thrown error and a missing caller as integration_error", async () => {
    const statuses: IntegrationCaller = { call: async () => ({ ok: true, status: 404, data: {} }) };
    const throws: IntegrationCaller = {
      call: async () => {
        throw new Error("socket hang up");
      },
    };
    for (const integrations of [statuses, throws, undefined]) {
      const result = await converse(flow, integrations ? { integrations } : {}).say("ORD123456");
      expect(result.state.current_state).toBe("failed");
    }
  });

  it("gives up on a caller that ignores its timeout", async () => {
    vi.useFakeTimers();
    try {
      const hangs: IntegrationCaller = { call: () => new Promise(() => undefined) };
      const pending = converse(flow, { integrations: hangs }).say("ORD123456");
      await vi.advanceTimersByTimeAsync(1000);
      expect((await pending).state.current_state).toBe("failed");
    } finally {
      vi.useRealTimers();
    }
  });
});
