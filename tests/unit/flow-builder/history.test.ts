import { describe, expect, it } from "vitest";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { moveNodes, renameState } from "@/lib/flow-builder/edits";
import { canRedo, canUndo, createHistory, HISTORY_LIMIT, record, redo, undo, type History } from "@/lib/flow-builder/history";
import { demoDoc } from "./builder-fixtures";

const base = demoDoc();
const at = (x: number): FlowDoc => moveNodes(base, { router: { x, y: 0 } });
const xOf = (h: History) => h.present.canvas.positions.router?.x;

describe("undo history", () => {
  it("undoes and redoes every recorded edit in order", () => {
    const result = renameState(base, "greet", "hello");
    if ("error" in result) throw new Error(result.error);
    let h = record(createHistory(base), result.doc);
    h = record(h, moveNodes(result.doc, { hello: { x: 3, y: 4 } }));
    expect([canUndo(h), canRedo(h)]).toEqual([true, false]);
    h = undo(h);
    expect(h.present).toBe(result.doc);
    h = undo(h);
    expect(h.present).toBe(base);
    expect([canUndo(h), canRedo(h)]).toEqual([false, true]);
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present.canvas.positions.hello).toEqual({ x: 3, y: 4 });
    expect(redo(h)).toBe(h);
  });

  it("merges consecutive records with the same key into one step, and a new key starts another", () => {
    let h = createHistory(at(0));
    for (let x = 1; x <= 20; x++) h = record(h, at(x), { coalesceKey: "drag:router:1" });
    h = record(h, at(100), { coalesceKey: "drag:router:2" });
    h = record(h, at(101), { coalesceKey: "drag:router:2" });
    h = record(h, at(200));
    h = record(h, at(201));
    expect(h.past.map((d) => d.canvas.positions.router!.x)).toEqual([0, 20, 101, 200]);
    expect(xOf(undo(undo(h)))).toBe(101);
  });

  it("drops the redo branch on a new edit, and does not merge it into the step before the undo", () => {
    let h = createHistory(at(0));
    h = record(h, at(1), { coalesceKey: "field" });
    h = record(h, at(2), { coalesceKey: "field" });
    h = undo(h);
    expect(canRedo(h)).toBe(true);
    h = record(h, at(5), { coalesceKey: "field" });
    expect(canRedo(h)).toBe(false);
    expect(h.past.map((d) => d.canvas.positions.router!.x)).toEqual([0]);
    expect(xOf(undo(h))).toBe(0);
  });

  it(`keeps the last ${HISTORY_LIMIT} steps`, () => {
    let h = createHistory(at(0));
    for (let x = 1; x <= HISTORY_LIMIT + 20; x++) h = record(h, at(x));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    while (canUndo(h)) h = undo(h);
    expect(xOf(h)).toBe(20);
  });
});
