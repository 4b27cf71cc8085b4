import type { StateType, TransitionCondition } from "@/server/flows/flow-schema";
import { transitionsOf, type DraftState, type DraftTransition } from "./document";

/*
 * What the builder says and offers about transition conditions, in one place: the connect dialog,
 * the transitions editor and the canvas's edge labels all read it.
 */

type Wording = {
  /** As a choice in a list, in the words of docs/flows.md. */
  choice: string;
  /** On an edge of the canvas, with the condition's value where it has one. */
  edge(value: string | undefined): string;
};

const WORDING: Record<TransitionCondition, Wording> = {
  intent_match: { choice: "The intent is recognised", edge: (value) => `intent: ${value || "?"}` },
  condition: { choice: "The conditions hold", edge: (value) => (value ? `condition: ${value}` : "conditions met") },
  integration_success: { choice: "The call succeeds", edge: () => "integration ok" },
  integration_error: { choice: "The call fails", edge: () => "integration error" },
  slot_filled: { choice: "A slot is filled", edge: (value) => (value ? `slot filled: ${value}` : "all slots filled") },
  any_input: { choice: "Any message", edge: () => "any input" },
  fallback: { choice: "Otherwise (fallback)", edge: () => "fallback" },
};

/**
 * Conditions that only mean something on one type of state: validate-flow's checkTransitions refuses
 * them elsewhere (tests/unit/flow-builder/conditions.test.ts holds the two together).
 */
const OWN_CONDITIONS: Partial<Record<StateType, TransitionCondition[]>> = {
  intent: ["intent_match"],
  condition: ["condition"],
  integration: ["integration_success", "integration_error"],
};
const SHARED_CONDITIONS: TransitionCondition[] = ["slot_filled", "any_input", "fallback"];

/** What a transition out of a state of this type may wait for: its own conditions first. */
export function conditionsFor(type: StateType): TransitionCondition[] {
  return [...(OWN_CONDITIONS[type] ?? []), ...SHARED_CONDITIONS];
}

export type ConditionChoice = { value: TransitionCondition; label: string };

/**
 * The choices for a transition out of a state of this type. A `current` condition the type does not
 * allow (an imported flow) is kept as the last choice, so the row shows what it holds while the
 * validator's error says why it must change.
 */
export function conditionChoices(type: StateType, current?: TransitionCondition): ConditionChoice[] {
  const allowed = conditionsFor(type);
  const shown = current === undefined || allowed.includes(current) ? allowed : [...allowed, current];
  return shown.map((value) => ({ value, label: WORDING[value].choice }));
}

/** The condition a new transition most likely wants: the state's own kind not yet used, else the usual way on. */
export function defaultCondition(state: DraftState): TransitionCondition {
  const used = new Set(transitionsOf(state).map((t) => t.condition));
  if (state.type === "intent") return "intent_match";
  if (state.type === "slot_filling") return used.has("slot_filled") ? "fallback" : "slot_filled";
  const own = (OWN_CONDITIONS[state.type] ?? []).find((c) => !used.has(c));
  if (own) return own;
  return OWN_CONDITIONS[state.type] ? "fallback" : "any_input";
}

/** What a condition's value names: an intent (required) or a slot (optional); the other conditions have none. */
export function conditionValueKind(condition: TransitionCondition): "intent" | "slot" | null {
  return condition === "intent_match" ? "intent" : condition === "slot_filled" ? "slot" : null;
}

/** The condition in the words a person reads on the canvas: "intent: order_status", "any input". */
export function conditionLabel(t: Pick<DraftTransition, "condition" | "condition_value">): string {
  return WORDING[t.condition].edge(t.condition_value);
}
