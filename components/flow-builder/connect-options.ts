import { connect, updateState } from "@/lib/flow-builder/edits";
import { conditionValueKind } from "@/lib/flow-builder/conditions";
import type { DraftState, FlowDoc } from "@/lib/flow-builder/document";
import type { FlowDefinitionInput, TransitionCondition } from "@/server/flows/flow-schema";
import { flowSlots, slotsFilledBy } from "./flow-slots";

/** The value a condition looks at: an intent (required) or a slot (optional); the others have none. */
export type ValueField = { kind: "intent" | "slot"; required: boolean; suggestions: string[] };

const unique = (names: string[]) => [...new Set(names)];

export function valueFieldFor(condition: TransitionCondition, state: DraftState, definition: FlowDefinitionInput): ValueField | null {
  const kind = conditionValueKind(condition);
  if (kind === "intent") {
    const own = state.type === "intent" ? state.config.intent_patterns : [];
    return { kind: "intent", required: true, suggestions: unique([...own, ...Object.keys(definition.intents ?? {})]) };
  }
  if (kind === "slot") {
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
