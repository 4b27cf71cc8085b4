import { priorityOf, transitionsOf, type DraftState, type DraftTransition, type FlowDoc } from "@/lib/flow-builder/document";
import { connect, moveTransition, removeTransition, updateTransition } from "@/lib/flow-builder/edits";

/*
 * The panel edits one state, the builder's edit functions take a document: wrapping the state in a
 * one-state document lets the panel reuse them (priorities, catch-all placement) instead of copying them.
 */
function onState(name: string, state: DraftState, edit: (doc: FlowDoc) => FlowDoc): DraftState {
  const doc: FlowDoc = {
    definition: { name, version: "draft", initial_state: name, states: { [name]: state } },
    canvas: { positions: {}, samples: {} },
  };
  return edit(doc).definition.states[name] ?? state;
}

/** Declared indexes in the order the engine tries them (stable: ties keep their declared order). */
export function priorityOrder(state: DraftState): number[] {
  return transitionsOf(state)
    .map((t, index) => ({ index, priority: priorityOf(t) }))
    .sort((a, b) => a.priority - b.priority)
    .map((entry) => entry.index);
}

/** Moves the transition at `from` one place earlier (-1) or later (+1) in priority order; priorities become 10, 20, 30... */
export function moveInPriorityOrder(name: string, state: DraftState, from: number, step: -1 | 1): DraftState {
  const order = priorityOrder(state);
  const at = order.indexOf(from);
  if (at === -1 || at + step < 0 || at + step >= order.length) return state;
  // Declared order first made equal to priority order, so the renumbering keeps every other transition where it was.
  const sorted = { ...state, transitions: order.map((i) => transitionsOf(state)[i]!) };
  return onState(name, sorted, (doc) => moveTransition(doc, name, at, at + step));
}

export const addTransition = (name: string, state: DraftState, transition: Pick<DraftTransition, "condition" | "condition_value">, target: string) =>
  onState(name, state, (doc) => connect(doc, name, target, transition));

export const changeTransition = (name: string, state: DraftState, index: number, patch: Partial<DraftTransition>) =>
  onState(name, state, (doc) => updateTransition(doc, name, index, patch));

export const deleteTransition = (name: string, state: DraftState, index: number) => onState(name, state, (doc) => removeTransition(doc, name, index));
