import { describe, expect, it } from "vitest";
import { toCanvas } from "@/lib/flow-builder/canvas-view";
import { copyStates, pasteStates } from "@/lib/flow-builder/clipboard";
import { STATE_TYPES, transitionsOf, type FlowDoc } from "@/lib/flow-builder/document";
import {
  addState,
  connect,
  moveTransition,
  removeStates,
  removeTransition,
  renameIntent,
  renameState,
  moveNodes,
  setInitialState,
  setIntents,
  setSample,
  updateState,
  updateTransition,
} from "@/lib/flow-builder/edits";
import { renameKey, withoutKey } from "@/components/flow-builder/state-forms/values";
import { draftShapeProblems } from "@/server/flow-store/draft-shape";
import { stateSchema } from "@/server/flows/flow-schema";
import { validateFlow } from "@/server/flows/validate-flow";
import { demoDoc, seeded } from "./builder-fixtures";

const targetsOf = (doc: FlowDoc) => Object.values(doc.definition.states).flatMap((s) => transitionsOf(s).map((t) => t.target_state));
const priorities = (doc: FlowDoc, name: string) => transitionsOf(doc.definition.states[name]!).map((t) => [t.condition_value ?? t.condition, t.priority]);

const issueKeys = (definition: unknown) => {
  const check = validateFlow(definition);
  return (check.ok ? check.warnings : check.issues).map((i) => `${i.severity} ${i.code} ${i.state ?? ""} ${i.field ?? ""}`);
};

function intentRenamed(doc: FlowDoc, from: string, to: string): FlowDoc {
  const result = renameIntent(doc, from, to);
  if ("error" in result) throw new Error(result.error);
  return result.doc;
}

/** The demo flow plus a second intent state that also routes on "order_issue", so the rename must reach more than one state. */
function withSecondRouter(): FlowDoc {
  const added = addState(demoDoc(), "intent");
  const listening = updateState(added.doc, added.name, {
    type: "intent",
    config: { intent_patterns: ["thanks", "order_issue"] },
    transitions: [
      { condition: "intent_match", condition_value: "order_issue", target_state: "order_problem", priority: 10 },
      { condition: "fallback", target_state: "router", priority: 20 },
    ],
  });
  return connect(listening, "greet", added.name, { condition: "fallback" });
}

function renamed(doc: FlowDoc, from: string, to: string): FlowDoc {
  const result = renameState(doc, from, to);
  if ("error" in result) throw new Error(result.error);
  return result.doc;
}

describe("flow edits", () => {
  it("renames a state everywhere it is used, in its place among the states, without touching the original", () => {
    const doc = setSample({ ...demoDoc(), canvas: { positions: { router: { x: 1, y: 2 } }, samples: {} } }, "router", { status: 200, body: { ok: true } });
    const before = structuredClone(doc);
    const after = renamed(doc, "router", "main_menu");
    expect(doc).toEqual(before);
    expect(Object.keys(after.definition.states)).toEqual(Object.keys(doc.definition.states).map((n) => (n === "router" ? "main_menu" : n)));
    expect(after.definition.initial_state).toBe("main_menu");
    expect(targetsOf(after)).not.toContain("router");
    expect(targetsOf(after).filter((t) => t === "main_menu")).toHaveLength(targetsOf(doc).filter((t) => t === "router").length);
    expect(after.canvas).toEqual({ positions: { main_menu: { x: 1, y: 2 } }, samples: { main_menu: { status: 200, body: { ok: true } } } });
    expect(validateFlow(after.definition).ok).toBe(true);
  });

  it("refuses a rename to an empty or taken name, and trims the new one", () => {
    const doc = demoDoc();
    expect(renameState(doc, "greet", "  ")).toEqual({ error: "A state needs a name" });
    expect(renameState(doc, "greet", "hours")).toEqual({ error: 'A state named "hours" already exists' });
    // The schema drops such a key and the wire format refuses it: the state would vanish or never save.
    expect(renameState(doc, "greet", "__proto__")).toEqual({ error: '"__proto__" cannot be used as a name' });
    expect(Object.keys(renamed(doc, "greet", " hello ").definition.states)).toContain("hello");
  });

  it("renames an intent wherever the flow routes on it, in its place among the intents, without touching the original", () => {
    const doc = withSecondRouter();
    const before = structuredClone(doc);
    const after = intentRenamed(doc, "order_issue", "order_complaint");
    expect(doc).toEqual(before);
    const names = Object.keys(doc.definition.intents!);
    expect(Object.keys(after.definition.intents!)).toEqual(names.map((n) => (n === "order_issue" ? "order_complaint" : n)));
    expect(after.definition.intents!.order_complaint).toBe(doc.definition.intents!.order_issue);

    const { router, intent, order_route } = after.definition.states;
    const patterns = (state: typeof router) => (state?.type === "intent" ? state.config.intent_patterns : []);
    expect(patterns(router)).toEqual(patterns(doc.definition.states.router).map((p) => (p === "order_issue" ? "order_complaint" : p)));
    expect(patterns(intent)).toEqual(["thanks", "order_complaint"]);
    const values = (state: typeof router) => transitionsOf(state!).map((t) => t.condition_value);
    expect(values(router)).toEqual(values(doc.definition.states.router).map((v) => (v === "order_issue" ? "order_complaint" : v)));
    expect(transitionsOf(intent!)[0]).toEqual({ condition: "intent_match", condition_value: "order_complaint", target_state: "order_problem", priority: 10 });
    // The demo's order_route tells a problem from a status question by the intent's name.
    expect(order_route?.type === "condition" && order_route.config.conditions[0]).toEqual({ operator: "eq", left: "{intent}", right: "order_complaint" });
    expect(JSON.stringify(after.definition)).not.toContain('"order_issue"');
    // States that never mention the intent are the same objects: the canvas redraws only what changed.
    expect(after.definition.states.greet).toBe(doc.definition.states.greet);

    expect(validateFlow(doc.definition).ok).toBe(true);
    expect(issueKeys(after.definition)).toEqual(issueKeys(doc.definition));
    // Renaming only the key (what the panel did) leaves the new name unrouted and the old one listened for.
    const keyOnly = setIntents(doc, renameKey(doc.definition.intents!, "order_issue", "order_complaint"));
    expect(issueKeys(keyOnly.definition)).toContain("warning unused_intent  intents.order_complaint");
  });

  it("refuses to rename an intent to an empty, taken or already listened-for name, and trims the new one", () => {
    const doc = demoDoc();
    expect(renameIntent(doc, "thanks", "  ")).toEqual({ error: "Intent name is required" });
    expect(renameIntent(doc, "thanks", "greeting")).toEqual({ error: 'There is already an intent "greeting"' });
    expect(renameIntent(doc, "nope", "other")).toEqual({ error: 'There is no intent "nope"' });
    expect(renameIntent(doc, "thanks", "__proto__")).toEqual({ error: '"__proto__" cannot be used as a name' });
    const router = doc.definition.states.router!;
    const listening = updateState(doc, "router", router.type === "intent" ? { ...router, config: { ...router.config, intent_patterns: [...router.config.intent_patterns, "refunds"] } } : router);
    expect(renameIntent(listening, "thanks", "refunds")).toEqual({ error: 'State "router" already listens for an intent "refunds"' });
    const same = renameIntent(doc, "thanks", " thanks ");
    expect("doc" in same && same.doc).toBe(doc);
    expect(Object.keys(intentRenamed(doc, "thanks", " gratitude ").definition.intents!)).toContain("gratitude");
  });

  it("deletes an intent without touching the states that listen for it", () => {
    const doc = demoDoc();
    const after = setIntents(doc, withoutKey(doc.definition.intents!, "thanks"));
    expect(Object.keys(after.definition.intents!)).not.toContain("thanks");
    expect(after.definition.states).toBe(doc.definition.states);
    const router = after.definition.states.router!;
    expect(router.type === "intent" && router.config.intent_patterns).toContain("thanks");
    expect(transitionsOf(router).some((t) => t.condition_value === "thanks")).toBe(true);
    expect(validateFlow(after.definition).ok).toBe(true);
  });

  it("removes states with the transitions into them, their positions and samples, and may remove the initial state", () => {
    const doc = { ...demoDoc(), canvas: { positions: { greet: { x: 0, y: 0 }, hours: { x: 9, y: 9 } }, samples: { order_lookup: { status: 500, body: null } } } };
    const after = removeStates(doc, ["greet", "order_lookup"]);
    expect(Object.keys(after.definition.states)).not.toContain("greet");
    expect(targetsOf(after)).not.toContain("greet");
    expect(targetsOf(after)).not.toContain("order_lookup");
    expect(transitionsOf(after.definition.states.router!)).toHaveLength(12);
    expect(after.canvas).toEqual({ positions: { hours: { x: 9, y: 9 } }, samples: {} });
    expect(after.definition.states.hours).toBe(doc.definition.states.hours);

    const headless = removeStates(doc, ["router"]);
    const check = validateFlow(headless.definition);
    expect(check.ok ? [] : check.issues.map((i) => i.message)).toContain('The initial state "router" is not a state in this flow');
  });

  it("connects with the next priority, ahead of a catch-all that would otherwise swallow it", () => {
    let doc = addState(addState(demoDoc(), "intent").doc, "response").doc;
    doc = connect(doc, "intent", "greet", { condition: "intent_match", condition_value: "greeting" });
    doc = connect(doc, "intent", "hours", { condition: "intent_match", condition_value: "business_hours" });
    doc = connect(doc, "intent", "response", { condition: "fallback" });
    expect(priorities(doc, "intent")).toEqual([["greeting", 10], ["business_hours", 20], ["fallback", 30]]);

    // The router's fallback is at 999: a new intent goes between the last intent (100) and it.
    const routed = connect(doc, "router", "response", { condition: "intent_match", condition_value: "thanks" });
    const router = transitionsOf(routed.definition.states.router!);
    expect(router.at(-2)).toEqual({ condition: "intent_match", condition_value: "thanks", target_state: "response", priority: 110 });
    expect(router.at(-1)!.condition).toBe("fallback");

    // No room between 20 and the fallback's 30? Renumber in the order tried.
    const squeezed = connect(doc, "intent", "response", { condition: "any_input" });
    expect(priorities(squeezed, "intent").at(-1)).toEqual(["any_input", 40]);
    const tight = connect({ ...doc }, "intent", "hours", { condition: "intent_match", condition_value: "thanks" });
    expect(priorities(tight, "intent")).toEqual([["greeting", 10], ["business_hours", 20], ["thanks", 30], ["fallback", 40]]);
  });

  it("moves a transition and renumbers priorities so declared order is the order tried", () => {
    const doc = demoDoc();
    const moved = moveTransition(doc, "router", 12, 0);
    const router = transitionsOf(moved.definition.states.router!);
    expect(router[0]).toMatchObject({ condition: "fallback", priority: 10 });
    expect(router[1]).toMatchObject({ condition_value: "greeting", priority: 20 });
    expect(router.map((t) => t.priority)).toEqual(Array.from({ length: 13 }, (_, i) => (i + 1) * 10));
    expect(moveTransition(doc, "router", 0, 13)).toBe(doc);
  });

  it("updates and removes one transition by its declared index", () => {
    const doc = demoDoc();
    const updated = updateTransition(doc, "router", 0, { condition_value: "thanks", target_state: "you_are_welcome" });
    expect(transitionsOf(updated.definition.states.router!)[0]).toEqual({ condition: "intent_match", condition_value: "thanks", target_state: "you_are_welcome" });
    const anyInput = updateTransition(doc, "router", 0, { condition: "fallback", condition_value: undefined });
    expect(Object.keys(transitionsOf(anyInput.definition.states.router!)[0]!)).toEqual(["condition", "target_state"]);
    const removed = removeTransition(doc, "router", 0);
    expect(transitionsOf(removed.definition.states.router!)[0]!.condition_value).toBe("business_hours");
  });

  it("adds each state type with a unique name and a default the state schema accepts", () => {
    let doc = demoDoc();
    for (const type of STATE_TYPES) {
      const first = addState(doc, type, { x: 10, y: 20 });
      const second = addState(first.doc, type);
      expect([first.name, second.name]).toEqual([type, `${type}_2`]);
      expect(stateSchema.safeParse(second.doc.definition.states[second.name]).success).toBe(true);
      expect(first.doc.canvas.positions[first.name]).toEqual({ x: 10, y: 20 });
      doc = connect(second.doc, "router", first.name, { condition: "intent_match", condition_value: "greeting" });
    }
    const check = validateFlow(doc.definition);
    const configProblems = (check.ok ? [] : check.issues).filter((i) => i.field?.startsWith("config"));
    expect(configProblems).toEqual([]);
    const intent = doc.definition.states.intent!;
    expect(intent.type === "intent" && intent.config.intent_patterns).toEqual(["greeting"]);
  });

  it("keeps the definition flow-shaped through any sequence of edits, never changing an earlier document", () => {
    const random = seeded(7);
    const start = demoDoc();
    const pristine = structuredClone(start);
    let doc = start;
    for (let step = 0; step < 300; step++) {
      const names = Object.keys(doc.definition.states);
      const name = random.pick(names)!;
      const other = random.pick(names)!;
      const count = transitionsOf(doc.definition.states[name]!).length;
      const at = random.int(Math.max(count, 1));
      const conditions = [{ condition: "any_input" }, { condition: "fallback" }, { condition: "intent_match", condition_value: "greeting" }] as const;
      const edits: (() => FlowDoc)[] = [
        () => addState(doc, random.pick(STATE_TYPES)!).doc,
        () => (names.length > 3 ? removeStates(doc, [name]) : doc),
        () => connect(doc, name, other, random.pick(conditions)!),
        () => moveTransition(doc, name, at, random.int(Math.max(count, 1))),
        () => removeTransition(doc, name, at),
        () => updateTransition(doc, name, at, { target_state: other, condition: "any_input", condition_value: undefined }),
        () => {
          const result = renameState(doc, name, `${name}_r`);
          return "doc" in result ? result.doc : doc;
        },
        () => {
          const intent = random.pick(Object.keys(doc.definition.intents ?? {}));
          const result = intent === undefined ? null : renameIntent(doc, intent, `${intent}_r`);
          return result && "doc" in result ? result.doc : doc;
        },
        () => setInitialState(doc, other),
        () => pasteStates(doc, copyStates(doc, [name, other])).doc,
        () => moveNodes(doc, { [name]: { x: step, y: -step } }),
      ];
      doc = edits[random.int(edits.length)]!();
      expect(draftShapeProblems(doc.definition)).toEqual([]);
      if (step % 25 === 0) expect(toCanvas(doc, []).nodes.length).toBeGreaterThanOrEqual(Object.keys(doc.definition.states).length);
    }
    expect(Object.keys(doc.definition.states).length).toBeGreaterThan(3);
    expect(start).toEqual(pristine);
  });
});
