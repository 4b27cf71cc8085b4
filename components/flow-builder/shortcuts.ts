export type Shortcut = "undo" | "redo" | "copy" | "paste" | "delete";

/** The parts of a KeyboardEvent the mapping reads, so it can be tested without a DOM. */
export type KeyPress = { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean };

/** Where a key belongs to the text being typed (and its own undo, copy and delete), not to the canvas. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

/**
 * The builder's keyboard commands. Ctrl on Windows and Linux, Cmd on macOS (either is accepted,
 * so one mapping serves both); redo is Ctrl/Cmd+Shift+Z or Ctrl+Y.
 */
export function shortcutFor(press: KeyPress): Shortcut | null {
  const key = press.key.toLowerCase();
  const command = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (!command) return !press.shiftKey && (key === "delete" || key === "backspace") ? "delete" : null;
  if (key === "z") return press.shiftKey ? "redo" : "undo";
  if (key === "y" && press.ctrlKey && !press.shiftKey) return "redo";
  if (press.shiftKey) return null;
  if (key === "c") return "copy";
  if (key === "v") return "paste";
  return null;
}

/**
 * Copy, paste and delete act on the canvas selection, so only while the canvas (or nothing) has the
 * focus: Backspace after clicking a button in a side panel must not delete the selected state.
 * Undo and redo work anywhere in the builder.
 */
export const needsCanvasFocus = (shortcut: Shortcut): boolean => shortcut === "copy" || shortcut === "paste" || shortcut === "delete";
