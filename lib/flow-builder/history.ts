import type { FlowDoc } from "./document";

/** Undo steps kept; older ones fall off. */
export const HISTORY_LIMIT = 500;

export type History = {
  readonly past: readonly FlowDoc[];
  readonly present: FlowDoc;
  readonly future: readonly FlowDoc[];
  /** The key of the last record, so the next one with the same key joins its undo step. */
  readonly coalesceKey: string | null;
};

export function createHistory(doc: FlowDoc): History {
  return { past: [], present: doc, future: [], coalesceKey: null };
}

/**
 * A new present; the redo branch is dropped. Consecutive records with the same non-empty key
 * (typing in one field, dragging one node) make one undo step: the UI passes a new key per focus or drag.
 */
export function record(h: History, doc: FlowDoc, opts: { coalesceKey?: string } = {}): History {
  if (doc === h.present) return h;
  const key = opts.coalesceKey || null;
  if (key !== null && key === h.coalesceKey) return { ...h, present: doc, future: [] };
  const past = h.past.length >= HISTORY_LIMIT ? [...h.past.slice(h.past.length - HISTORY_LIMIT + 1), h.present] : [...h.past, h.present];
  return { past, present: doc, future: [], coalesceKey: key };
}

export const canUndo = (h: History): boolean => h.past.length > 0;
export const canRedo = (h: History): boolean => h.future.length > 0;

// Undo and redo end any coalescing: the next edit is a step of its own.
export function undo(h: History): History {
  const previous = h.past.at(-1);
  if (!previous) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], coalesceKey: null };
}

export function redo(h: History): History {
  const [next, ...future] = h.future;
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future, coalesceKey: null };
}
