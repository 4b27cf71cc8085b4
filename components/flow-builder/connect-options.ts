import { connect, updateState } from "@/lib/flow-builder/edits";
import { transitionsOf, type DraftState, type FlowDoc } from "@/lib/flow-builder/document";
import type { FlowDefinitionInput, StateType, TransitionCondition } from "@/server/flows/flow-schema";
import { flowSlots, slotsFilledBy } from "./flow-slots";

/** The choices of the connect dialog, in the words of docs/flows.md. */
export const CONDITION_WORDS: Record<TransitionCondition, string> = {
  intent_match: "The intent is recognised",
  condition: "The conditions hold",
  integration_success: "The call succeeds",
  integration_error: "The call fails",
  slot_filled: "A slot is filled",
  any_input: "Any message",
  fallback: "Otherwise (fallback)",
};

/** Conditions that only mean something on one type of state (the validator refuses them elsewhere). */
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

/** The condition a new transition most likely wants: the state's own kind not yet used, else the usual way on. */
export function defaultCondition(state: DraftState): TransitionCondition {
  const used = new Set(transitionsOf(state).map((t) => t.condition));
  if (state.type === "intent") return "intent_match";
  if (state.type === "slot_filling") return used.has("slot_filled") ? "fallback" : "slot_filled";
  const own = (OWN_CONDITIONS[state.type] ?? []).find((c) => !used.has(c));
  if (own) return own;
  return OWN_CONDITIONS[state.type] ? "fallback" : "any_input";
}

/** The value a condition looks at: an intent (required) or a slot (optional); the others have none. */
export type ValueField = { kind: "intent" | "slot"; required: boolean; suggestions: string[] };

const unique = (names: string[]) => [...new Set(names)];

export function valueFieldFor(condition: TransitionCondition, state: DraftState, definition: FlowDefinitionInput): ValueField | null {
  if (condition === "intent_match") {
    const own = state.type === "intent" ? state.config.intent_patterns : [];
    return { kind: "intent", required: true, suggestions: unique([...own, ...Object.keys(definition.intents ?? {})]) };
  }
  if (condition === "slot_filled") {
    // A slot-filling state names its own slots; elsewhere any slot the flow fills may be tested.
    const own = state.type === "slot_filling" ? slotsFilledBy(state) : [];
    return { kind: "slot", required: false, suggestions: own.length > 0 ? unique(own) : flowSlots(definition.states) };
  }
  return null;
}

/** Why the dialog cannot confirm yet, or null. */
export function connectProblem(condition: TransitionCondition, value: string, state: DraftState, definition: FlowDefinitionInput): string | null {
  const field = valueFieldFor(condition, state, definition);
  if (field?.required && value.trim() === "") return "Name the intent this transition waits for.";
  return null;
}

/**
 * The transition the dialog asked for, as one edit. An intent the state does not listen for yet is
 * added to its intent patterns: the validator would otherwise refuse the transition at once.
 */
export function connectWith(doc: FlowDoc, source: string, target: string, condition: TransitionCondition, value: string): FlowDoc {
  const state = doc.definition.states[source];
  if (!state) return doc;
  const field = valueFieldFor(condition, state, doc.definition);
  const conditionValue = field && value.trim() !== "" ? value.trim() : undefined;
  let next = doc;
  if (state.type === "intent" && condition === "intent_match" && conditionValue && !state.config.intent_patterns.includes(conditionValue)) {
    next = updateState(next, source, { ...state, config: { ...state.config, intent_patterns: [...state.config.intent_patterns, conditionValue] } });
  }
  return connect(next, source, target, { condition, ...(conditionValue !== undefined && { condition_value: conditionValue }) });
}
