import { describe, expect, it } from "vitest";
import { toCanvas, type CanvasNode, type StateNode, type TransitionEdge } from "@/lib/flow-builder/canvas-view";
import { transitionsOf, type FlowDoc } from "@/lib/flow-builder/document";
import { connect, moveNodes, updateState, updateTransition } from "@/lib/flow-builder/edits";
import { autoLayout } from "@/lib/flow-builder/layout";
import { validateFlow, type FlowIssue } from "@/server/flows/validate-flow";
import { demoDoc, docOf, generatedDoc } from "./builder-fixtures";

const issuesOf = (doc: FlowDoc): FlowIssue[] => {
  const result = validateFlow(doc.definition);
  return result.ok ? result.warnings : result.issues;
};
const stateNode = (nodes: CanvasNode[], name: string) => nodes.find((n): n is StateNode => n.type === "state" && n.id === name)!;

/** The transitions the edges describe, grouped back by source: what the canvas shows, read back. */
function transitionsFromEdges(edges: TransitionEdge[], nodes: CanvasNode[]) {
  const nameOf = new Map(nodes.map((n) => [n.id, n.data.name]));
  const bySource: Record<string, { condition: string; condition_value?: string; target_state: string; priority: number }[]> = {};
  for (const edge of [...edges].sort((a, b) => a.data!.index - b.data!.index)) {
    const { condition, condition_value, priority } = edge.data!;
    (bySource[edge.source] ??= []).push({ condition, ...(condition_value !== undefined && { condition_value }), target_state: nameOf.get(edge.target)!, priority });
  }
  return bySource;
}

describe("definition to canvas", () => {
  it("draws the demo flow: one node per state, one labelled edge per transition, the initial state marked", () => {
    const doc = demoDoc();
    const { nodes, edges } = toCanvas(doc, issuesOf(doc));
    const names = Object.keys(doc.definition.states);
    expect(nodes.map((n) => n.id)).toEqual(names);
    expect(nodes.every((n) => n.type === "state")).toBe(true);
    expect(nodes.filter((n) => n.type === "state" && n.data.initial).map((n) => n.id)).toEqual(["router"]);
    expect(edges).toHaveLength(names.reduce((sum, name) => sum + transitionsOf(doc.definition.states[name]!).length, 0));

    const router = edges.filter((e) => e.source === "router");
    expect(router[0]).toMatchObject({ id: "router#0", target: "greet", label: "intent: greeting · 100" });
    expect(router.at(-1)).toMatchObject({ id: "router#12", target: "not_understood", label: "fallback · 999" });
    const label = (id: string) => edges.find((e) => e.id === id)?.label;
    expect(label("collect_order_number#0")).toBe("all slots filled · 100");
    expect(label("order_lookup#0")).toBe("integration ok · 100");
    expect(label("order_lookup#1")).toBe("integration error · 100");
    expect(label("order_route#0")).toBe("conditions met · 100");
    expect(label("greet#0")).toBe("any input · 100");

    // Reading the edges back gives the definition's transitions, priorities made explicit.
    const readBack = transitionsFromEdges(edges, nodes);
    for (const name of names) {
      const declared = transitionsOf(doc.definition.states[name]!).map((t) => ({ ...t, priority: t.priority ?? 100 }));
      expect(readBack[name] ?? []).toEqual(declared);
    }
  });

  it("lays out a state named like an Object property that has no stored position", () => {
    const doc = docOf({
      name: "f",
      version: "1",
      initial_state: "start",
      states: {
        start: { type: "response", config: { response_templates: { default: "Hi" } }, transitions: [{ condition: "any_input", target_state: "constructor" }] },
        constructor: { type: "response", config: { response_templates: { default: "Built" } }, transitions: [] },
      },
    });
    const node = toCanvas(doc, []).nodes.find((n) => n.id === "constructor")!;
    expect(node.position).toEqual(autoLayout(doc).constructor);
    expect(Number.isFinite(node.position.x) && Number.isFinite(node.position.y)).toBe(true);
  });

  it("shows each state's key content in at most 3 lines of at most 60 characters", () => {
    const { nodes } = toCanvas(demoDoc(), []);
    for (const node of nodes) {
      if (node.type !== "state") continue;
      expect(node.data.summary.length).toBeGreaterThan(0);
      expect(node.data.summary.length).toBeLessThanOrEqual(3);
      for (const line of node.data.summary) expect(line.length).toBeLessThanOrEqual(60);
    }
    const summary = (name: string) => stateNode(nodes, name).data.summary;
    expect(summary("greet")).toEqual([
      "Hello {user_name}! Welcome to Acme Store. I can help you fi…",
      "+ 1 variant",
      "Replies: Find a product, Track my order, Opening hours, Tal…",
    ]);
    expect(summary("collect_product_needs")).toEqual(["Asks: product, budget, use_case"]);
    expect(summary("order_lookup")).toEqual(["GET https://api.acme.example/orders/{order_number}"]);
    expect(summary("router")).toEqual(["Listens for: greeting, business_hours, product_search, pric…"]);
    expect(summary("check_search")).toEqual(["{product} exists", "and {budget} exists", "and {use_case} exists"]);
    expect(summary("handoff_to_agent")).toEqual(["I'm connecting you with a member of our support team. They'…", "Queue: support"]);
    expect(summary("general_answer")).toEqual(["Model: default", "You are Acme Store's assistant. Answer briefly and only abo…"]);
  });

  it("draws 300 states and 600 transitions, with a ghost node for a dangling target and the problem counted on its node", () => {
    const generated = generatedDoc();
    const doc = updateTransition(generated, "step_010", 1, { target_state: "nowhere" });
    const issues = issuesOf(doc);
    const { nodes, edges } = toCanvas(doc, issues);
    expect(nodes.filter((n) => n.type === "state")).toHaveLength(300);
    expect(edges).toHaveLength(600);
    expect(new Set(edges.map((e) => e.id)).size).toBe(600);
    const ghosts = nodes.filter((n) => n.type === "missing");
    expect(ghosts.map((g) => [g.id, g.data.name])).toEqual([["missing:nowhere", "nowhere"]]);
    const dangling = edges.find((e) => e.id === "step_010#1")!;
    expect(dangling.target).toBe("missing:nowhere");
    expect(dangling.data!.problem).toBe('Transition 2 of state "step_010" goes to "nowhere", which does not exist');
    expect(stateNode(nodes, "step_010").data.errors).toBe(1);
    expect(stateNode(nodes, "step_000").data).toMatchObject({ initial: true, errors: 0 });
    expect(stateNode(nodes, "step_002").data.initial).toBe(false);
    expect(edges.find((e) => e.id === "step_000#2")!.label).toBe("fallback · 30");
  });

  it("keeps stored positions and places only the states without one", () => {
    const doc = demoDoc();
    const everywhere = autoLayout(doc);
    const stored = { greet: { x: 5000, y: 7000 } };
    const { nodes } = toCanvas({ ...doc, canvas: { ...doc.canvas, positions: stored } }, []);
    expect(stateNode(nodes, "greet").position).toEqual({ x: 5000, y: 7000 });
    expect(stateNode(nodes, "hours").position).toEqual(everywhere.hours);
  });

  it("hands back the previous node and edge objects for what did not change", () => {
    const doc = { ...generatedDoc(), canvas: { positions: autoLayout(generatedDoc()), samples: {} } };
    const before = toCanvas(doc, []);
    const state = doc.definition.states.step_001!;
    if (state.type !== "response") throw new Error("step_001 is a response state");
    const edited = updateState(doc, "step_001", { ...state, config: { response_templates: { default: "Changed text" } } });
    const dragged = moveNodes(edited, { step_005: { x: 1, y: 2 } });
    const after = toCanvas(dragged, [], before);
    const changed = after.nodes.filter((n, i) => n !== before.nodes[i]).map((n) => n.id);
    expect(changed).toEqual(["step_001", "step_005"]);
    expect(after.edges.every((e, i) => e === before.edges[i])).toBe(true);

    const connected = toCanvas(connect(dragged, "step_001", "step_003", { condition: "fallback" }), [], after);
    expect(connected.edges.filter((e, i) => e !== after.edges[i]).map((e) => [e.id, e.label])).toContainEqual(["step_001#1", "fallback · 20"]);
    expect(connected.nodes.every((n, i) => n === after.nodes[i])).toBe(true);
  });
});
