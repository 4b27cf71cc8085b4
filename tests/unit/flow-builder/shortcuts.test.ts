import { describe, expect, it } from "vitest";
import { needsCanvasFocus, shortcutFor, type KeyPress } from "@/components/flow-builder/shortcuts";

const press = (key: string, mods: Partial<Omit<KeyPress, "key">> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("the builder's keyboard commands", () => {
  it("undoes with Ctrl+Z or Cmd+Z and redoes with the same plus Shift, or Ctrl+Y", () => {
    expect(shortcutFor(press("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutFor(press("z", { metaKey: true }))).toBe("undo");
    // With Shift held the browser reports a capital Z.
    expect(shortcutFor(press("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(press("Z", { metaKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(press("y", { ctrlKey: true }))).toBe("redo");
  });

  it("copies and pastes with Ctrl/Cmd+C and V, and deletes with Delete or Backspace alone", () => {
    expect(shortcutFor(press("c", { ctrlKey: true }))).toBe("copy");
    expect(shortcutFor(press("v", { metaKey: true }))).toBe("paste");
    expect(shortcutFor(press("Delete"))).toBe("delete");
    expect(shortcutFor(press("Backspace"))).toBe("delete");
  });

  it("leaves every other key, and the modified variants, to the browser", () => {
    expect(shortcutFor(press("z"))).toBeNull();
    expect(shortcutFor(press("c"))).toBeNull();
    expect(shortcutFor(press("Backspace", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press("Delete", { shiftKey: true }))).toBeNull();
    expect(shortcutFor(press("z", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shortcutFor(press("C", { ctrlKey: true, shiftKey: true }))).toBeNull();
    // Cmd+Y is not redo on a Mac (it opens the history in some browsers).
    expect(shortcutFor(press("y", { metaKey: true }))).toBeNull();
  });

  it("acts on the selection only from the canvas, and undoes from anywhere in the builder", () => {
    expect(["copy", "paste", "delete"].every((s) => needsCanvasFocus(s as never))).toBe(true);
    expect(needsCanvasFocus("undo")).toBe(false);
    expect(needsCanvasFocus("redo")).toBe(false);
  });
});
