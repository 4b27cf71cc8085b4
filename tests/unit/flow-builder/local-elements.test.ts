import { describe, expect, it } from "vitest";
import { markActive, mergeView } from "@/components/flow-builder/local-elements";
import { freeSpot } from "@/components/flow-builder/placement";
import { toCanvas, type CanvasNode } from "@/lib/flow-builder/canvas-view";
import { moveNodes, updateState } from "@/lib/flow-builder/edits";
import { placeMissing } from "@/lib/flow-builder/layout";
import { generatedDoc } from "./builder-fixtures";

/** What React Flow does to the objects it is handed: measures them, selects one. */
function asReactFlowHasThem(nodes: CanvasNode[], selected: string): CanvasNode[] {
  return nodes.map((n) => ({ ...n, measured: { width: 240, height: 90 }, selected: n.id === selected }));
}

describe("the canvas's local nodes", () => {
  it("keeps the local object of every node the edit did not touch, and measurements and selection on the one it did", () => {
    const doc = placeMissing(generatedDoc(300));
    const before = toCanvas(doc, []);
    const name = Object.keys(doc.definition.states).find((n) => doc.definition.states[n]!.type === "response")!;
    const local = asReactFlowHasThem(before.nodes, name);

    const state = doc.definition.states[name]!;
    const edited = updateState(doc, name, { ...state, config: { response_templates: { default: "Rewritten greeting" } } } as typeof state);
    const after = toCanvas(edited, [], before);
    const merged = mergeView(local, after.nodes, before.nodes);

    const changed = merged.filter((node, i) => node !== local[i]);
    expect(changed.map((n) => n.id)).toEqual([name]);
    expect(changed[0]).toMatchObject({ selected: true, measured: { width: 240, height: 90 } });
    expect((changed[0]!.data as { summary: string[] }).summary).toEqual(["Rewritten greeting"]);
  });

  it("applies a requested selection to exactly the nodes named", () => {
    const doc = placeMissing(generatedDoc(20));
    const view = toCanvas(doc, []);
    const [a, b, c] = Object.keys(doc.definition.states);
    const local = asReactFlowHasThem(view.nodes, a!);
    const merged = mergeView(local, view.nodes, view.nodes, new Set([b!, c!]));
    expect(merged.filter((n) => n.selected).map((n) => n.id)).toEqual([b, c]);
    // Nodes whose selection did not change keep their objects.
    expect(merged.filter((n, i) => n === local[i]).length).toBe(view.nodes.length - 3);
  });

  it("keeps a node being dragged where the pointer has it when the view changes under it", () => {
    const doc = placeMissing(generatedDoc(10));
    const view = toCanvas(doc, []);
    const name = view.nodes[0]!.id;
    const local = view.nodes.map((n) => (n.id === name ? { ...n, dragging: true, position: { x: 999, y: 999 } } : n));
    const moved = toCanvas(moveNodes(doc, { [view.nodes[1]!.id]: { x: 5, y: 5 } }), [], view);
    const merged = mergeView(local, moved.nodes, view.nodes);
    expect(merged[0]!.position).toEqual({ x: 999, y: 999 });
  });

  it("marks the node Try it is in without touching the others", () => {
    const view = toCanvas(placeMissing(generatedDoc(10)), []);
    const name = view.nodes[3]!.id;
    const marked = markActive(view.nodes, name);
    expect(marked.filter((n, i) => n !== view.nodes[i]).map((n) => n.id)).toEqual([name]);
    expect(marked[3]!.data).toMatchObject({ active: true, name });
    expect(markActive(view.nodes, null)).toBe(view.nodes);
    expect(markActive(view.nodes, "no such state")).toBe(view.nodes);
  });
});

describe("where a palette click adds a state", () => {
  it("shifts away from a node already starting at the spot", () => {
    expect(freeSpot({}, { x: 10.4, y: 20.6 })).toEqual({ x: 10, y: 21 });
    expect(freeSpot({ a: { x: 10, y: 21 }, b: { x: 42, y: 53 } }, { x: 10, y: 21 })).toEqual({ x: 74, y: 85 });
  });
});
