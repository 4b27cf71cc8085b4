import { describe, expect, it } from "vitest";
import { deleteSelected, ghostTarget } from "@/components/flow-builder/selection-edits";
import { edgeId, missingNodeId, toCanvas } from "@/lib/flow-builder/canvas-view";
import { demoDoc, docOf } from "./builder-fixtures";

const targets = (doc: ReturnType<typeof demoDoc>, state: string) => doc.definition.states[state]!.transitions!.map((t) => t.target_state);

describe("deleting the canvas selection", () => {
  it("removes several transitions of one state in one edit, whichever order they were selected in", () => {
    const doc = demoDoc();
    expect(targets(doc, "router").slice(0, 3)).toEqual(["greet", "hours", "collect_product_needs"]);
    const next = deleteSelected(doc, { nodes: [], edges: [edgeId("router", 0), edgeId("router", 2)] });
    expect(targets(next, "router").slice(0, 2)).toEqual(["hours", "collect_product_needs"]);
    expect(next.definition.states.router!.transitions).toHaveLength(doc.definition.states.router!.transitions!.length - 2);
    // The rest of the flow is untouched, object for object.
    expect(next.definition.states.greet).toBe(doc.definition.states.greet);
  });

  it("removes a state with the transitions leading to it, and a ghost with the dangling transitions", () => {
    const doc = docOf({
      name: "f",
      version: "1",
      initial_state: "a",
      states: {
        a: { type: "response", config: { response_templates: { default: "A" } }, transitions: [{ condition: "any_input", target_state: "b" }, { condition: "fallback", target_state: "gone" }] },
        b: { type: "response", config: { response_templates: { default: "B" } }, transitions: [{ condition: "any_input", target_state: "gone" }] },
      },
    });
    const ghost = toCanvas(doc, []).nodes.find((n) => n.type === "missing")!;
    expect(ghost.id).toBe(missingNodeId("gone"));
    expect(ghostTarget(ghost.id)).toBe("gone");
    expect(ghostTarget("a")).toBeNull();

    const withoutGhost = deleteSelected(doc, { nodes: [ghost.id], edges: [] });
    expect(targets(withoutGhost, "a")).toEqual(["b"]);
    expect(targets(withoutGhost, "b")).toEqual([]);
    expect(Object.keys(withoutGhost.definition.states)).toEqual(["a", "b"]);

    const withoutB = deleteSelected(doc, { nodes: ["b"], edges: [edgeId("a", 1)] });
    expect(Object.keys(withoutB.definition.states)).toEqual(["a"]);
    expect(targets(withoutB, "a")).toEqual([]);
  });

  it("deletes a state whose own name looks like a ghost's, not the state that name would stand for", () => {
    const named = missingNodeId("b");
    const doc = docOf({
      name: "f",
      version: "1",
      initial_state: "a",
      states: {
        a: { type: "response", config: { response_templates: { default: "A" } }, transitions: [{ condition: "any_input", target_state: "b" }, { condition: "fallback", target_state: named }] },
        b: { type: "response", config: { response_templates: { default: "B" } }, transitions: [] },
        [named]: { type: "response", config: { response_templates: { default: "Odd name" } }, transitions: [] },
      },
    });
    const next = deleteSelected(doc, { nodes: [named], edges: [] });
    expect(Object.keys(next.definition.states)).toEqual(["a", "b"]);
    expect(targets(next, "a")).toEqual(["b"]);
  });
});
