import { describe, expect, it } from "vitest";
import { copyStates, pasteStates } from "@/lib/flow-builder/clipboard";
import { transitionsOf } from "@/lib/flow-builder/document";
import { moveNodes, setSample } from "@/lib/flow-builder/edits";
import { draftShapeProblems } from "@/server/flow-store/draft-shape";
import { demoDoc, docOf } from "./builder-fixtures";

const targets = (doc: ReturnType<typeof demoDoc>, name: string) => transitionsOf(doc.definition.states[name]!).map((t) => t.target_state);

describe("copy and paste", () => {
  it("pastes with unique names, transitions inside the selection following them and the others kept", () => {
    let doc = moveNodes(demoDoc(), { order_lookup: { x: 100, y: 200 } });
    doc = setSample(doc, "order_lookup", { status: 200, body: { status: "shipped" } });
    const fragment = copyStates(doc, ["collect_order_number", "order_lookup"]);

    const once = pasteStates(doc, fragment);
    expect(once.names).toEqual(["collect_order_number_copy", "order_lookup_copy"]);
    expect(targets(once.doc, "collect_order_number_copy")).toEqual(["order_lookup_copy", "not_understood"]);
    expect(targets(once.doc, "order_lookup_copy")).toEqual(["order_route", "order_lookup_failed"]);
    expect(once.doc.canvas.positions.order_lookup_copy).toEqual({ x: 140, y: 240 });
    expect(once.doc.canvas.samples.order_lookup_copy).toEqual({ status: 200, body: { status: "shipped" } });
    expect(targets(once.doc, "collect_order_number")).toEqual(["order_lookup", "not_understood"]);

    const twice = pasteStates(once.doc, fragment, { x: 0, y: 500 });
    expect(twice.names).toEqual(["collect_order_number_copy_2", "order_lookup_copy_2"]);
    expect(targets(twice.doc, "collect_order_number_copy_2")).toEqual(["order_lookup_copy_2", "not_understood"]);
    expect(twice.doc.canvas.positions.order_lookup_copy_2).toEqual({ x: 100, y: 700 });
    expect(draftShapeProblems(twice.doc.definition)).toEqual([]);
  });

  it("keeps the names when pasting into a flow that does not have them", () => {
    const fragment = copyStates(demoDoc(), ["greet", "missing_state"]);
    const target = docOf({ name: "other", version: "1", initial_state: "start", states: { start: { type: "handoff", config: { message: "Hi" } } } });
    const { doc, names } = pasteStates(target, fragment);
    expect(names).toEqual(["greet"]);
    expect(Object.keys(doc.definition.states)).toEqual(["start", "greet"]);
    expect(targets(doc, "greet")).toEqual(["router"]);
  });
});
