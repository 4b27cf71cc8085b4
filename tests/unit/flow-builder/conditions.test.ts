import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { VersionDiff } from "@/components/flow-builder/version-diff";
import { toCanvas } from "@/lib/flow-builder/canvas-view";
import { conditionChoices, conditionsFor, defaultCondition } from "@/lib/flow-builder/conditions";
import { STATE_TYPES } from "@/lib/flow-builder/document";
import { addState, connect, updateTransition } from "@/lib/flow-builder/edits";
import { diffFlows } from "@/server/flow-store/flow-diff";
import { transitionConditionSchema } from "@/server/flows/flow-schema";
import { validateFlow } from "@/server/flows/validate-flow";
import { demoDoc } from "./builder-fixtures";

describe("transition conditions", () => {
  it("offers on each state type exactly the conditions the validator accepts there, its own first", () => {
    const offered: Record<string, string[]> = {};
    const accepted: Record<string, string[]> = {};
    for (const type of STATE_TYPES) {
      offered[type] = [...conditionsFor(type)].sort();
      accepted[type] = [];
      for (const condition of transitionConditionSchema.options) {
        const added = addState(demoDoc(), type);
        const doc = connect(added.doc, added.name, "greet", { condition, ...(condition === "intent_match" && { condition_value: "greeting" }) });
        const check = validateFlow(doc.definition);
        const issues = check.ok ? check.warnings : check.issues;
        // The graph checks only run on a flow the schema accepts: a schema problem would hide a misplaced condition.
        expect(issues.filter((i) => i.code === "invalid_field")).toEqual([]);
        if (!issues.some((i) => i.code === "misplaced_transition" && i.state === added.name)) accepted[type].push(condition);
      }
      accepted[type].sort();
    }
    expect(offered).toEqual(accepted);
    expect(conditionsFor("intent")[0]).toBe("intent_match");
    expect(conditionsFor("integration").slice(0, 2)).toEqual(["integration_success", "integration_error"]);
    expect(conditionsFor("response")).toEqual(["slot_filled", "any_input", "fallback"]);
  });

  it("keeps a condition the type does not allow visible as the last choice, so the row shows what it holds", () => {
    const choices = conditionChoices("response", "intent_match");
    expect(choices.map((c) => c.value)).toEqual(["slot_filled", "any_input", "fallback", "intent_match"]);
    expect(choices.at(-1)!.label).toBe("The intent is recognised");
    expect(conditionChoices("response", "fallback").map((c) => c.value)).toEqual(["slot_filled", "any_input", "fallback"]);
  });

  it("proposes the condition a new transition most likely wants: the state's own kind not yet used, then a way out", () => {
    const { definition } = demoDoc();
    expect(defaultCondition(definition.states.greet!)).toBe("any_input");
    expect(defaultCondition(definition.states.router!)).toBe("intent_match");
    // Success and error are both taken: what is left is the fallback.
    expect(defaultCondition(definition.states.catalog_search!)).toBe("fallback");
    // A slot-filling state that already goes on once filled wants the way out after its last retry.
    expect(defaultCondition(definition.states.collect_order_number!)).toBe("fallback");
    const fresh = addState(demoDoc(), "integration");
    expect(defaultCondition(fresh.doc.definition.states[fresh.name]!)).toBe("integration_success");
  });

  it("labels a transition the same way on the canvas and in a version diff", () => {
    const before = demoDoc();
    const after = updateTransition(before, "router", 0, { condition_value: "thanks" });
    const edge = toCanvas(after, []).edges.find((e) => e.id === "router#0")!;
    expect(edge.label).toBe("intent: thanks · 100");
    const html = renderToStaticMarkup(createElement(VersionDiff, { diff: diffFlows(before.definition, after.definition), title: "Changes" }));
    expect(html).toContain("intent: greeting → greet · 100");
    expect(html).toContain("intent: thanks → greet · 100");
  });
});
