import { describe, expect, it } from "vitest";
import { transitionSchema, type Transition } from "@/server/flows/flow-schema";
import { pickTransition, type TransitionFacts } from "@/server/flows/transitions";

const t = (input: Partial<Transition> & Pick<Transition, "condition" | "target_state">): Transition => transitionSchema.parse(input);
const facts: TransitionFacts = { slotFilled: () => false };

describe("transition selection", () => {
  it("takes the matching transition with the lowest priority, whatever the declared order", () => {
    const chosen = pickTransition(
      [t({ condition: "fallback", target_state: "fallback", priority: 999 }), t({ condition: "intent_match", condition_value: "help", target_state: "help", priority: 10 })],
      { ...facts, intent: "help" },
    );
    expect(chosen?.target_state).toBe("help");
  });

  it("breaks ties in declared order", () => {
    const chosen = pickTransition([t({ condition: "any_input", target_state: "first" }), t({ condition: "any_input", target_state: "second" })], facts);
    expect(chosen?.target_state).toBe("first");
  });

  it("skips transitions whose condition does not hold", () => {
    const transitions = [
      t({ condition: "intent_match", condition_value: "help", target_state: "help" }),
      t({ condition: "slot_filled", condition_value: "email", target_state: "has_email" }),
      t({ condition: "fallback", target_state: "fallback", priority: 999 }),
    ];
    expect(pickTransition(transitions, { ...facts, intent: "other" })?.target_state).toBe("fallback");
    expect(pickTransition(transitions, { slotFilled: (s) => s === "email" })?.target_state).toBe("has_email");
  });

  it("fires integration and condition outcomes only on their own result", () => {
    const transitions = [t({ condition: "integration_success", target_state: "ok" }), t({ condition: "integration_error", target_state: "err" })];
    expect(pickTransition(transitions, { ...facts, integration: "error" })?.target_state).toBe("err");
    expect(pickTransition([t({ condition: "condition", target_state: "yes" })], { ...facts, conditionMet: false })).toBeUndefined();
  });
});
