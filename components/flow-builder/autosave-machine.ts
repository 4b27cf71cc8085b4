import type { FlowDoc } from "@/lib/flow-builder/document";

/*
 * The autosave's bookkeeping, apart from timers and requests so it can be tested: which document
 * the server holds, the revision the next save is based on, and what the indicator says. A save
 * refused as a conflict stops autosaving until the author chooses whose version wins: nothing is
 * overwritten silently.
 */

export type SaveStatus =
  | { kind: "saved" }
  | { kind: "unsaved" }
  | { kind: "saving" }
  | { kind: "conflict"; message: string }
  | { kind: "failed"; message: string };

export type AutosaveState = {
  status: SaveStatus;
  /** The draft revision the last save or load returned: the base of the next save. */
  revision: number;
  /** The document the server holds, as far as this page knows. */
  stored: FlowDoc;
  /** Sent and not answered yet. */
  sending: FlowDoc | null;
};

export type AutosaveEvent =
  | { type: "edited"; doc: FlowDoc }
  | { type: "sent"; doc: FlowDoc }
  | { type: "stored"; doc: FlowDoc; revision: number; current: FlowDoc }
  | { type: "conflicted"; message: string }
  | { type: "failed"; message: string }
  /** Try again after a failure that was not a conflict. */
  | { type: "retried" }
  /** "Overwrite mine": the other save's revision becomes the base, so the next save replaces it. */
  | { type: "rebased"; revision: number }
  /** The server's draft replaced the page's (loaded theirs, rolled back). */
  | { type: "loaded"; doc: FlowDoc; revision: number };

/** Positions and definition compared by reference: every edit makes new objects, undo brings back old ones. */
export const sameDoc = (a: FlowDoc, b: FlowDoc) => a.definition === b.definition && a.canvas === b.canvas;

export function initialAutosave(stored: FlowDoc, revision: number, current: FlowDoc = stored): AutosaveState {
  return { status: sameDoc(stored, current) ? { kind: "saved" } : { kind: "unsaved" }, revision, stored, sending: null };
}

export function autosaveReducer(state: AutosaveState, event: AutosaveEvent): AutosaveState {
  switch (event.type) {
    case "edited":
      // While a save is out or a conflict waits for a choice, the indicator keeps saying so.
      if (state.status.kind === "saving" || state.status.kind === "conflict") return state;
      return { ...state, status: sameDoc(event.doc, state.stored) ? { kind: "saved" } : { kind: "unsaved" } };
    case "sent":
      return { ...state, status: { kind: "saving" }, sending: event.doc };
    case "stored":
      return {
        status: sameDoc(event.current, event.doc) ? { kind: "saved" } : { kind: "unsaved" },
        revision: event.revision,
        stored: event.doc,
        sending: null,
      };
    case "conflicted":
      return { ...state, status: { kind: "conflict", message: event.message }, sending: null };
    case "failed":
      return { ...state, status: { kind: "failed", message: event.message }, sending: null };
    case "retried":
      return state.status.kind === "failed" ? { ...state, status: { kind: "unsaved" } } : state;
    case "rebased":
      return { ...state, status: { kind: "unsaved" }, revision: event.revision };
    case "loaded":
      return initialAutosave(event.doc, event.revision);
  }
}

/** A save should go out now (after the debounce): there are changes and nothing blocks them. */
export const wantsSave = (state: AutosaveState) => state.status.kind === "unsaved" && state.sending === null;

/** Leaving the page would lose something. */
export const hasUnsaved = (state: AutosaveState, current: FlowDoc) => !sameDoc(state.stored, current);

export function statusText(status: SaveStatus): string {
  switch (status.kind) {
    case "saved":
      return "Saved";
    case "unsaved":
      return "Unsaved changes";
    case "saving":
      return "Saving…";
    case "conflict":
      return status.message;
    case "failed":
      return `Not saved: ${status.message}`;
  }
}
