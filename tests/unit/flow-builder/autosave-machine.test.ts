import { describe, expect, it } from "vitest";
import { autosaveReducer, hasUnsaved, initialAutosave, statusText, wantsSave, type AutosaveEvent, type AutosaveState } from "@/components/flow-builder/autosave-machine";
import { moveNodes, updateState } from "@/lib/flow-builder/edits";
import { createHistory, record, undo } from "@/lib/flow-builder/history";
import { demoDoc } from "./builder-fixtures";

const run = (state: AutosaveState, ...events: AutosaveEvent[]) => events.reduce(autosaveReducer, state);
const greeting = (text: string) => ({ type: "response" as const, config: { response_templates: { default: text } }, transitions: [{ condition: "any_input" as const, target_state: "router" }] });

describe("the autosave's bookkeeping", () => {
  it("saves edits made while a save was out after it, on the revision that save returned", () => {
    const stored = demoDoc();
    const first = updateState(stored, "greet", greeting("Hello!"));
    const second = updateState(first, "greet", greeting("Hello there!"));

    let state = run(initialAutosave(stored, 4), { type: "edited", doc: first });
    expect(statusText(state.status)).toBe("Unsaved changes");
    expect(wantsSave(state)).toBe(true);

    state = run(state, { type: "sent", doc: first }, { type: "edited", doc: second });
    expect(statusText(state.status)).toBe("Saving…");
    expect(wantsSave(state)).toBe(false);

    state = run(state, { type: "stored", doc: first, revision: 5, current: second });
    expect(statusText(state.status)).toBe("Unsaved changes");
    expect(state.revision).toBe(5);
    expect(wantsSave(state)).toBe(true);

    state = run(state, { type: "sent", doc: second }, { type: "stored", doc: second, revision: 6, current: second });
    expect(statusText(state.status)).toBe("Saved");
    expect(hasUnsaved(state, second)).toBe(false);
  });

  it("says Saved again when undo brings back what the server holds, without another save", () => {
    const stored = demoDoc();
    let history = createHistory(stored);
    history = record(history, moveNodes(history.present, { greet: { x: 10, y: 20 } }));
    let state = run(initialAutosave(stored, 1), { type: "edited", doc: history.present });
    expect(wantsSave(state)).toBe(true);
    history = undo(history);
    state = run(state, { type: "edited", doc: history.present });
    expect(statusText(state.status)).toBe("Saved");
    expect(wantsSave(state)).toBe(false);
  });

  it("stops on a conflict until the author chooses, keeping edits made meanwhile", () => {
    const stored = demoDoc();
    const mine = updateState(stored, "greet", greeting("Mine"));
    const more = updateState(mine, "greet", greeting("Mine, more"));
    const message = "ann@example.com saved this flow 1 minute ago. Load their version or overwrite it with yours.";

    let state = run(initialAutosave(stored, 2), { type: "edited", doc: mine }, { type: "sent", doc: mine }, { type: "conflicted", message }, { type: "edited", doc: more });
    expect(statusText(state.status)).toBe(message);
    expect(wantsSave(state)).toBe(false);
    expect(hasUnsaved(state, more)).toBe(true);

    // Overwrite mine: the other save's revision becomes the base.
    const overwrite = run(state, { type: "rebased", revision: 3 });
    expect(wantsSave(overwrite)).toBe(true);
    expect(overwrite.revision).toBe(3);

    // Load theirs: what the server now holds, saved, nothing pending.
    const theirs = updateState(stored, "greet", greeting("Theirs"));
    const loaded = run(state, { type: "loaded", doc: theirs, revision: 3 });
    expect(statusText(loaded.status)).toBe("Saved");
    expect(hasUnsaved(loaded, theirs)).toBe(false);
  });

  it("reports another failure in words and tries again on the next edit or on request", () => {
    const stored = demoDoc();
    const mine = updateState(stored, "greet", greeting("Mine"));
    const failed = run(initialAutosave(stored, 0), { type: "edited", doc: mine }, { type: "sent", doc: mine }, { type: "failed", message: "Something went wrong. Please try again." });
    expect(statusText(failed.status)).toBe("Not saved: Something went wrong. Please try again.");
    expect(wantsSave(failed)).toBe(false);
    expect(wantsSave(run(failed, { type: "retried" }))).toBe(true);
    expect(wantsSave(run(failed, { type: "edited", doc: updateState(mine, "greet", greeting("Again")) }))).toBe(true);
  });

  it("starts unsaved when the page laid out states that had no position, so the layout gets stored", () => {
    const stored = demoDoc();
    const laidOut = moveNodes(stored, { greet: { x: 0, y: 0 } });
    expect(wantsSave(initialAutosave(stored, 0, laidOut))).toBe(true);
    expect(wantsSave(initialAutosave(stored, 0))).toBe(false);
  });
});
