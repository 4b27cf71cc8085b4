"use client";
import { useEffect, useRef, type RefObject } from "react";
import { isTypingTarget, needsCanvasFocus, shortcutFor, type Shortcut } from "./shortcuts";

/**
 * The builder's keyboard commands, for keys pressed inside `root` (or with nothing focused). Not while
 * typing in a field (text keeps its own undo, copy and delete) or while a dialog is open. `run`
 * answers whether it acted, so a key it did nothing with keeps its default.
 */
export function useShortcuts(root: RefObject<HTMLElement | null>, canvasSelector: string, run: (shortcut: Shortcut) => boolean) {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target) || document.querySelector("dialog[open]")) return;
      const unfocused = event.target === document.body;
      const inside = unfocused || (event.target instanceof Node && root.current?.contains(event.target));
      const shortcut = inside ? shortcutFor(event) : null;
      if (!shortcut) return;
      const onCanvas = unfocused || (event.target instanceof Element && event.target.closest(canvasSelector) !== null);
      if (needsCanvasFocus(shortcut) && !onCanvas) return;
      if (latest.current(shortcut)) event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [root, canvasSelector]);
}
