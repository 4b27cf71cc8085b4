"use client";
import { useEffect, useState } from "react";

type Props = {
  text: string;
  /** The element that shows `text`: selected for a manual copy when the clipboard cannot be written. */
  targetId: string;
  testId: string;
  label?: string;
};

/**
 * Copies `text` to the clipboard and says "Copied". The clipboard API is missing on plain-http pages and may be
 * refused by the browser; then the text is selected on the page and the person is told which keys copy it.
 */
export function CopyButton({ text, targetId, testId, label = "Copy" }: Props) {
  const [state, setState] = useState<"idle" | "copied" | "manual">("idle");

  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), 4000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("clipboard unavailable");
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      selectForManualCopy(document.getElementById(targetId));
      setState("manual");
    }
  }

  return (
    <span className="row">
      <button type="button" className="secondary" data-testid={testId} onClick={() => void copy()}>
        {state === "copied" ? "Copied" : label}
      </button>
      <span role="status" className="muted" data-testid={`${testId}-hint`}>
        {state === "manual" ? "Selected: press Ctrl+C (⌘C on a Mac) to copy." : ""}
      </span>
    </span>
  );
}

function selectForManualCopy(target: HTMLElement | null) {
  if (!target) return;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    target.focus();
    target.select();
    return;
  }
  window.getSelection()?.selectAllChildren(target);
}
