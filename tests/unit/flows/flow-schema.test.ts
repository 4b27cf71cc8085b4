import { describe, expect, it } from "vitest";
import { flowDefinitionSchema } from "@/server/flows/flow-schema";

const specFlow = {
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
        { condition: "fallback", target_state: "fallback", priority: 999 },
      ],
    },
  },
};

describe("flow schema", () => {
  it("parses the documented flow format unchanged, only adding defaults", () => {
    const flow = flowDefinitionSchema.parse(specFlow);
    expect(flow.states.greeting).toEqual(specFlow.states.greeting);
    expect(flow.states.detect).toEqual(specFlow.states.detect);
    expect(flow.intents).toEqual(specFlow.intents);
    expect(flow.entities).toEqual({ lists: {} });
  });

  it("fills defaults: priority 100, confidence threshold 0.6, three retries, GET with a 5 s timeout", () => {
    const flow = flowDefinitionSchema.parse({
      name: "d",
      version: "1",
      initial_state: "a",
      states: {
        a: { type: "intent", config: { intent_patterns: ["x"] }, transitions: [{ condition: "fallback", target_state: "b" }] },
        b: { type: "slot_filling", config: { required_slots: ["email"], prompts: { email: "Email?" } } },
        c: { type: "integration", config: { integration_id: "crm", endpoint: "https://crm.example/x", method: "post" } },
      },
    });
    const { a, b, c } = flow.states;
    expect(a?.transitions[0]?.priority).toBe(100);
    expect(a?.type === "intent" && a.config.confidence_threshold).toBe(0.6);
    expect(b?.type === "slot_filling" && b.config.max_retries).toBe(3);
    expect(c?.type === "integration" && [c.config.method, c.config.timeout_ms]).toEqual(["POST", 5000]);
  });

  it("rejects a state whose type is not one of the seven kinds", () => {
    const result = flowDefinitionSchema.safeParse({ ...specFlow, states: { greeting: { type: "teleport", config: {} } } });
    expect(result.success).toBe(false);
  });

  it("rejects a carousel with neither items nor a source slot", () => {
    const result = flowDefinitionSchema.safeParse({
      ...specFlow,
      states: { greeting: { type: "response", config: { response_templates: { default: "x" }, carousel: {} } } },
    });
    expect(result.success).toBe(false);
  });
});
