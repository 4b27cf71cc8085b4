import { describe, expect, it } from "vitest";
import type { FlowDoc, Position } from "@/lib/flow-builder/document";
import { addState, removeTransition } from "@/lib/flow-builder/edits";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH, placeMissing } from "@/lib/flow-builder/layout";
import { demoDoc, docOf, generatedDoc } from "./builder-fixtures";

const overlap = (a: Position, b: Position) => Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT;

function expectTidy(doc: FlowDoc, positions: Record<string, Position>) {
  const names = Object.keys(doc.definition.states);
  expect(Object.keys(positions).sort()).toEqual([...names].sort());
  const all = names.map((name) => positions[name]!);
  const clashes = all.flatMap((p, i) => all.slice(i + 1).filter((q) => overlap(p, q)).map(() => i));
  expect(clashes).toEqual([]);
  const top = positions[doc.definition.initial_state]!;
  expect(names.filter((name) => name !== doc.definition.initial_state && positions[name]!.y <= top.y)).toEqual([]);
}

describe("automatic layout", () => {
  it("places every demo state, none on another, the initial state alone on the top row", () => {
    const doc = demoDoc();
    const positions = autoLayout(doc);
    expectTidy(doc, positions);
    // The router's targets share the row under it: one step from the start.
    expect(positions.greet!.y).toBe(positions.hours!.y);
    expect(positions.greet!.y).toBeGreaterThan(positions.router!.y);
  });

  it("lays out 300 states with unreachable ones hung under the initial state", () => {
    let doc = generatedDoc();
    doc = removeTransition(doc, "step_009", 0); // step_010 was reached only from here
    doc = addState(doc, "handoff").doc;
    const positions = autoLayout(doc);
    expectTidy(doc, positions);
    // Rows count the fewest steps from the start (step_000 goes to step_001 and step_007), not the
    // longest way round: ranking by every edge made the long flow 300 rows deep and took dagre seconds.
    expect(positions.step_007!.y).toBe(positions.step_001!.y);
    expect(new Set(Object.values(positions).map((p) => p.y)).size).toBeLessThan(100);
  });

  it("fills in only the positions a document lacks", () => {
    const doc = demoDoc();
    const placed = placeMissing({ ...doc, canvas: { ...doc.canvas, positions: { router: { x: -500, y: -500 } } } });
    expect(placed.canvas.positions.router).toEqual({ x: -500, y: -500 });
    expect(Object.keys(placed.canvas.positions)).toHaveLength(Object.keys(doc.definition.states).length);
    expect(placeMissing(placed)).toBe(placed);
  });

  it("lays out states named like Object's own properties", () => {
    const names = ["start", "constructor", "__proto__", "toString", "hasOwnProperty"];
    const states = Object.fromEntries(
      names.map((name, i) => [name, { type: "response" as const, config: { response_templates: { default: name } }, transitions: i + 1 < names.length ? [{ condition: "any_input" as const, target_state: names[i + 1]! }] : [] }]),
    );
    const doc = docOf({ name: "f", version: "1", initial_state: "start", states });
    const positions = autoLayout(doc);
    expect(names.every((name) => Object.hasOwn(positions, name))).toBe(true);
    expectTidy(doc, positions);
  });
});
