import { describe, expect, it } from "vitest";
import { validateFlow } from "@/server/flows/validate-flow";

const messagesOf = (input: unknown) => {
  const result = validateFlow(input);
  return result.ok ? result.warnings.map((i) => i.message) : result.issues.map((i) => i.message);
};

const flow = (states: Record<string, unknown>, initial = Object.keys(states)[0]) => ({ name: "support", version: "1", initial_state: initial, states });
const greet = (target: string) => ({ type: "response", config: { response_templates: { default: "Hi!" } }, transitions: [{ condition: "any_input", target_state: target }] });

describe("the flow validator speaks plainly", () => {
  it("lists what an empty definition is missing", () => {
    expect(messagesOf({})).toEqual(["Flow name is required", "Version is required", "Initial state is required", "States are required"]);
  });

  it("names the state and what its type needs", () => {
    expect(
      messagesOf(
        flow({
          bye: { type: "handoff", config: {} },
          greet: { type: "response", config: { response_templates: {} } },
          ask: { type: "intent", config: { intent_patterns: [] }, transitions: [{ condition: "fallback" }] },
          odd: { type: "menu", config: {} },
          bare: { config: {} },
        }),
      ),
    ).toEqual([
      'State "bye": A handoff state needs a message',
      'State "greet": A response state needs a default template',
      'State "ask": Intent patterns need at least one item',
      'Transition 1 of state "ask": Target state is required',
      'State "odd": Type "menu" is not a state type; use one of: response, intent, slot_filling, integration, condition, llm, handoff',
      'State "bare": Type is required; use one of: response, intent, slot_filling, integration, condition, llm, handoff',
    ]);
  });

  it("names the transition, the state and the target in graph problems", () => {
    const ask = { type: "intent", config: { intent_patterns: ["order"] }, transitions: [{ condition: "fallback", target_state: "start" }, { condition: "intent_match", condition_value: "order", target_state: "nope" }] };
    const lost = { type: "condition", config: { conditions: [] }, transitions: [] };
    expect(messagesOf(flow({ start: greet("ask"), ask, lost }))).toEqual([
      'Transition 2 of state "ask" goes to "nope", which does not exist',
      'State "lost": A condition state needs at least one condition',
      'State "lost": A condition state has no transitions; a conversation that gets here only hears the not-understood message',
      'State "lost" cannot be reached: no transition leads to it from "start"',
    ]);
    expect(messagesOf({ ...flow({ start: greet("start") }), initial_state: "begin" })).toEqual(['The initial state "begin" is not a state in this flow']);
  });
});
