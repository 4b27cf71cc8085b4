import { describe, expect, it } from "vitest";
import { diffFlows, isEmptyDiff } from "@/server/flow-store/flow-diff";
import { flowDefinitionSchema, type FlowDefinitionInput } from "@/server/flows/flow-schema";

/** One state of every kind the diff words differently, written as a draft is (defaults left out). */
function base(): FlowDefinitionInput {
  return {
    name: "support",
    version: "1.0",
    initial_state: "greet",
    intents: { order_status: { examples: ["where is my order", "track my package"] }, refund: { examples: ["money back"] } },
    entities: { lists: { products: ["laptop", "phone"] } },
    states: {
      greet: {
        type: "response",
        config: { response_templates: { default: "Hi!", returning_user: "Welcome back!" }, quick_replies: ["Track an order"] },
        transitions: [{ condition: "any_input", target_state: "route" }],
      },
      route: {
        type: "intent",
        config: { intent_patterns: ["order_status", "refund"] },
        transitions: [
          { condition: "intent_match", condition_value: "order_status", target_state: "ask_order", priority: 10 },
          { condition: "fallback", target_state: "greet" },
        ],
      },
      ask_order: {
        type: "slot_filling",
        config: { required_slots: ["order_number"], prompts: { order_number: "What is your order number?" } },
        transitions: [{ condition: "slot_filled", target_state: "lookup" }],
      },
      lookup: {
        type: "integration",
        config: { integration_id: "orders", endpoint: "https://api.example.com/orders/{order_number}" },
        transitions: [
          { condition: "integration_success", target_state: "check" },
          { condition: "integration_error", target_state: "human" },
        ],
      },
      check: {
        type: "condition",
        config: { conditions: [{ operator: "eq", left: "{status}", right: "shipped" }] },
        transitions: [
          { condition: "condition", condition_value: "true", target_state: "answer" },
          { condition: "condition", condition_value: "false", target_state: "human" },
        ],
      },
      answer: { type: "llm", config: { system_prompt: "You are a shop assistant.", fallback_template: "Your order is on its way." } },
      human: { type: "handoff", config: { message: "Connecting you to a person." } },
    },
  };
}

/** The same JSON with every object's keys in reverse order, as a JSON column may hand it back. */
const reversedKeys = <T>(value: T): T =>
  Array.isArray(value)
    ? (value.map(reversedKeys) as T)
    : value && typeof value === "object"
      ? (Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T)
      : value;

const edited = (edit: (f: FlowDefinitionInput) => void) => {
  const flow = structuredClone(base());
  edit(flow);
  return flow;
};
/** The changes listed for one state. */
const changesOf = (after: FlowDefinitionInput, state: string) => diffFlows(base(), after).changed.find((c) => c.name === state)?.changes;
const state = <T extends string>(f: FlowDefinitionInput, name: T) => f.states[name] as { config: Record<string, unknown>; transitions: Record<string, unknown>[] };

describe("diff of two flow versions", () => {
  it("finds nothing between a draft and its published form, whatever the key order and defaults", () => {
    const draft = base();
    const published = flowDefinitionSchema.parse(draft);
    expect(isEmptyDiff(diffFlows(draft, published))).toBe(true);
    expect(isEmptyDiff(diffFlows(published, reversedKeys(published)))).toBe(true);
    expect(diffFlows(draft, base())).toEqual({ added: [], removed: [], changed: [], flow: [] });
  });

  it("names each template variant that was added, removed or reworded", () => {
    const after = edited((f) => {
      state(f, "greet").config.response_templates = { default: "Hello there!", vip: "Hello, valued customer!" };
    });
    expect(changesOf(after, "greet")).toEqual([
      { path: "config.response_templates.default", kind: "changed", before: "Hi!", after: "Hello there!" },
      { path: "config.response_templates.returning_user", kind: "removed", before: "Welcome back!" },
      { path: "config.response_templates.vip", kind: "added", after: "Hello, valued customer!" },
    ]);
  });

  it("lists transitions by position with their condition, value, target and priority", () => {
    const after = edited((f) => {
      const route = state(f, "route");
      route.transitions[0] = { ...route.transitions[0], target_state: "lookup", priority: 20 };
      route.transitions.push({ condition: "intent_match", condition_value: "refund", target_state: "human" });
      state(f, "check").transitions.pop();
    });
    expect(changesOf(after, "route")).toEqual([
      {
        path: "transitions.0",
        kind: "changed",
        before: { condition: "intent_match", condition_value: "order_status", target_state: "ask_order", priority: 10 },
        after: { condition: "intent_match", condition_value: "order_status", target_state: "lookup", priority: 20 },
      },
      { path: "transitions.2", kind: "added", after: { condition: "intent_match", condition_value: "refund", target_state: "human", priority: 100 } },
    ]);
    expect(changesOf(after, "check")).toEqual([
      { path: "transitions.1", kind: "removed", before: { condition: "condition", condition_value: "false", target_state: "human", priority: 100 } },
    ]);
  });

  it("says which intents a state listens for, which slots it asks and how it prompts", () => {
    const after = edited((f) => {
      state(f, "route").config.intent_patterns = ["order_status", "cancel"];
      Object.assign(state(f, "ask_order").config, { required_slots: ["order_number", "email"], prompts: { order_number: "Your order number, please?", email: "Your email?" } });
    });
    expect(changesOf(after, "route")).toEqual([
      { path: "config.intent_patterns", kind: "changed", before: ["order_status", "refund"], after: ["order_status", "cancel"], items: { added: ["cancel"], removed: ["refund"] } },
    ]);
    expect(changesOf(after, "ask_order")).toEqual([
      { path: "config.required_slots", kind: "changed", before: ["order_number"], after: ["order_number", "email"], items: { added: ["email"], removed: [] } },
      { path: "config.prompts.order_number", kind: "changed", before: "What is your order number?", after: "Your order number, please?" },
      { path: "config.prompts.email", kind: "added", after: "Your email?" },
    ]);
  });

  it("shows an integration's endpoint and method, a condition row, the llm fields and the handoff message", () => {
    const after = edited((f) => {
      Object.assign(state(f, "lookup").config, { endpoint: "https://api.example.com/v2/orders/{order_number}", method: "post" });
      state(f, "check").config.conditions = [{ operator: "neq", left: "{status}", right: "shipped" }];
      Object.assign(state(f, "answer").config, { model: "gpt-4o-mini", max_tokens: 200, system_prompt: "Be brief." });
      state(f, "human").config.message = "A person will answer soon.";
    });
    const { changed } = diffFlows(base(), after);
    expect(Object.fromEntries(changed.map((c) => [c.name, c.changes]))).toEqual({
      lookup: [
        { path: "config.endpoint", kind: "changed", before: "https://api.example.com/orders/{order_number}", after: "https://api.example.com/v2/orders/{order_number}" },
        { path: "config.method", kind: "changed", before: "GET", after: "POST" },
      ],
      check: [{ path: "config.conditions.0", kind: "changed", before: { operator: "eq", left: "{status}", right: "shipped" }, after: { operator: "neq", left: "{status}", right: "shipped" } }],
      answer: [
        { path: "config.system_prompt", kind: "changed", before: "You are a shop assistant.", after: "Be brief." },
        { path: "config.max_tokens", kind: "added", after: 200 },
        { path: "config.model", kind: "added", after: "gpt-4o-mini" },
      ],
      human: [{ path: "config.message", kind: "changed", before: "Connecting you to a person.", after: "A person will answer soon." }],
    });
    expect(changed.map((c) => c.type)).toEqual(["integration", "condition", "llm", "handoff"]);
  });

  it("shows a state that changed type as one change of type and config, not a list of unrelated fields", () => {
    const after = edited((f) => {
      f.states.human = { type: "response", config: { response_templates: { default: "Call us on 555-0100." } } };
    });
    expect(changesOf(after, "human")).toEqual([
      { path: "type", kind: "changed", before: "handoff", after: "response" },
      { path: "config", kind: "changed", before: { message: "Connecting you to a person." }, after: { response_templates: { default: "Call us on 555-0100." } } },
    ]);
  });

  it("shows a renamed state as one removed and one added, and states added or removed with their type", () => {
    const after = edited((f) => {
      f.states.handover = f.states.human!;
      delete f.states.human;
      state(f, "lookup").transitions[1]!.target_state = "handover";
      state(f, "check").transitions[1]!.target_state = "handover";
      f.states.goodbye = { type: "response", config: { response_templates: { default: "Bye!" }, end: true } };
    });
    const diff = diffFlows(base(), after);
    expect(diff.removed).toEqual([{ name: "human", type: "handoff" }]);
    expect(diff.added).toEqual([
      { name: "handover", type: "handoff" },
      { name: "goodbye", type: "response" },
    ]);
    expect(diff.changed.map((c) => [c.name, c.changes.map((x) => x.path)])).toEqual([
      ["lookup", ["transitions.1"]],
      ["check", ["transitions.1"]],
    ]);
  });

  it("lists flow-level changes: initial state, intents and their examples, entity lists and settings", () => {
    const after = edited((f) => {
      f.initial_state = "route";
      f.intents = { order_status: { examples: ["where is my order", "order status"] }, cancel: { examples: ["cancel it"] } };
      f.entities = { lists: { products: ["laptop", "tablet"], use_cases: ["gaming"] } };
      f.settings = { not_understood: "Say that again?" };
    });
    const diff = diffFlows(base(), after);
    expect(diff.changed).toEqual([]);
    expect(diff.flow).toEqual([
      { path: "initial_state", kind: "changed", before: "greet", after: "route" },
      {
        path: "intents.order_status.examples",
        kind: "changed",
        before: ["where is my order", "track my package"],
        after: ["where is my order", "order status"],
        items: { added: ["order status"], removed: ["track my package"] },
      },
      { path: "intents.refund", kind: "removed", before: { examples: ["money back"] } },
      { path: "intents.cancel", kind: "added", after: { examples: ["cancel it"] } },
      { path: "entities.lists.products", kind: "changed", before: ["laptop", "phone"], after: ["laptop", "tablet"], items: { added: ["tablet"], removed: ["phone"] } },
      { path: "entities.lists.use_cases", kind: "added", after: ["gaming"] },
      { path: "settings.not_understood", kind: "added", after: "Say that again?" },
    ]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("sees states, intents and slots named like Object's own properties come and go", () => {
    const named = edited((f) => {
      f.states = { ...f.states, constructor: { type: "response" as const, config: { response_templates: { default: "Built." } } } };
      f.intents = { ...f.intents, toString: { examples: ["as text"] } };
      state(f, "ask_order").config.prompts = { order_number: "What is your order number?", valueOf: "How much?" };
    });
    const added = diffFlows(base(), named);
    expect(added.added).toEqual([{ name: "constructor", type: "response" }]);
    expect(added.changed.find((c) => c.name === "constructor")).toBeUndefined();
    expect(added.flow).toEqual([{ path: "intents.toString", kind: "added", after: { examples: ["as text"] } }]);
    expect(added.changed.find((c) => c.name === "ask_order")?.changes).toEqual([{ path: "config.prompts.valueOf", kind: "added", after: "How much?" }]);

    const removed = diffFlows(named, base());
    expect(removed.removed).toEqual([{ name: "constructor", type: "response" }]);
    expect(removed.flow).toEqual([{ path: "intents.toString", kind: "removed", before: { examples: ["as text"] } }]);
  });
});
