import { describe, expect, it } from "vitest";
import { connectProblem, connectWith, valueFieldFor } from "@/components/flow-builder/connect-options";
import { addState } from "@/lib/flow-builder/edits";
import { validateFlow } from "@/server/flows/validate-flow";
import { demoDoc } from "./builder-fixtures";

const errorsOf = (definition: unknown) => {
  const check = validateFlow(definition);
  return check.ok ? [] : check.issues.filter((i) => i.severity === "error");
};

describe("the connect dialog", () => {
  it("asks for an intent from the state's and the flow's intents, and refuses to connect without one", () => {
    const { definition } = demoDoc();
    const router = definition.states.router!;
    const field = valueFieldFor("intent_match", router, definition)!;
    expect(field).toMatchObject({ kind: "intent", required: true });
    expect(field.suggestions).toContain("order_inquiry");
    expect(connectProblem("intent_match", "  ", router, definition)).toBe("Name the intent this transition waits for.");
    expect(connectProblem("any_input", "", router, definition)).toBeNull();
    // A slot-filling state offers its own slots; the value stays optional.
    expect(valueFieldFor("slot_filled", definition.states.collect_order_number!, definition)).toMatchObject({ kind: "slot", required: false });
    expect(valueFieldFor("fallback", router, definition)).toBeNull();
  });

  it("connects with a new intent by also listening for it, so the flow stays valid", () => {
    const added = addState(demoDoc(), "response");
    const connected = connectWith(added.doc, "router", added.name, "intent_match", " refunds ");
    const router = connected.definition.states.router!;
    expect(router.type === "intent" && router.config.intent_patterns).toContain("refunds");
    const transition = router.transitions!.find((t) => t.target_state === added.name)!;
    expect(transition).toMatchObject({ condition: "intent_match", condition_value: "refunds" });
    // Before the router's fallback, or it would never be tried.
    const fallback = router.transitions!.find((t) => t.condition === "fallback")!;
    expect(transition.priority!).toBeLessThan(fallback.priority ?? 100);
    expect(errorsOf(connected.definition)).toEqual([]);
  });

  it("drops the value of a condition that has none", () => {
    const added = addState(demoDoc(), "response");
    const connected = connectWith(added.doc, "greet", added.name, "any_input", "ignored");
    expect(connected.definition.states.greet!.transitions!.at(-1)).toEqual({ condition: "any_input", target_state: added.name, priority: expect.any(Number) });
  });
});
