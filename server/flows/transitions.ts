import type { Transition } from "./flow-schema";

/** What the state that is choosing a way out has established this step. */
export type TransitionFacts = {
  intent?: string | null;
  conditionMet?: boolean;
  integration?: "success" | "error";
  slotFilled: (slot: string | undefined) => boolean;
};

/** Lowest priority first; Array.prototype.sort is stable, so ties keep declared order. */
export function orderTransitions(transitions: readonly Transition[]): Transition[] {
  return [...transitions].sort((a, b) => a.priority - b.priority);
}

// any_input and fallback are unconditional: transitions are only evaluated while the
// turn's input is in hand, and fallback is the "otherwise" branch.
function matches(transition: Transition, facts: TransitionFacts): boolean {
  switch (transition.condition) {
    case "any_input":
    case "fallback":
      return true;
    case "intent_match":
      return facts.intent !== undefined && facts.intent !== null && facts.intent === transition.condition_value;
    case "slot_filled":
      return facts.slotFilled(transition.condition_value);
    case "condition":
      return facts.conditionMet === true;
    case "integration_success":
      return facts.integration === "success";
    case "integration_error":
      return facts.integration === "error";
  }
}

export function pickTransition(
  transitions: readonly Transition[],
  facts: TransitionFacts,
  eligible: (t: Transition) => boolean = () => true,
): Transition | undefined {
  return orderTransitions(transitions).find((t) => eligible(t) && matches(t, facts));
}
