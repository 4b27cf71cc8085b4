import { z } from "zod";
import { describe, expect, it } from "vitest";
import { closestField, inlineMessage, mergeIssues, schemaIssues } from "@/components/flow-builder/state-forms/issue-placement";
import { fieldOptions, fieldTitle, stateOptionSchema, titleAt } from "@/components/flow-builder/state-forms/schema-fields";
import { renameSlot, setSlotType } from "@/components/flow-builder/state-forms/slot-edits";
import { addTransition, moveInPriorityOrder } from "@/components/flow-builder/state-forms/transition-edits";
import { operandToText, parseNumber, textToOperand } from "@/components/flow-builder/state-forms/values";
import type { DraftState } from "@/lib/flow-builder/document";
import { validateFlow } from "@/server/flows/validate-flow";
import { FULL_STATES } from "./state-forms-fixtures";

describe("labels and choices read from the schema", () => {
  it("walks optional, default, record, array and catch-all nodes to the title at a path", () => {
    const schema = z.object({
      plain: z.string().meta({ title: "Plain text" }).optional(),
      byName: z.record(z.string(), z.object({ count: z.number().meta({ title: "How many" }).default(1) })),
      list: z.array(z.string()).meta({ title: "Quick replies" }),
      open: z.object({ fixed: z.string().meta({ title: "Fixed" }) }).catchall(z.string().meta({ title: "Other" })),
      untitled_key: z.string(),
    });
    expect(titleAt(schema, "plain")).toBe("Plain text");
    expect(titleAt(schema, "byName.anything.count")).toBe("How many");
    expect(titleAt(schema, "list.1")).toBe("Item 2 of quick replies");
    expect(titleAt(schema, "open.fixed")).toBe("Fixed");
    expect(titleAt(schema, "open.whatever")).toBe("Other");
    expect(titleAt(schema, "untitled_key")).toBe("Untitled key");
  });

  it("labels state fields with the engine schema's titles, transitions included", () => {
    expect(fieldTitle("llm", "config.max_tokens")).toBe("Max tokens");
    expect(fieldTitle("integration", "config.method")).toBe("Method");
    expect(fieldTitle("response", "config.response_templates.returning_user")).toBe("Template");
    expect(fieldTitle("slot_filling", "config.validation.email.pattern")).toBe("Pattern");
    expect(fieldTitle("intent", "transitions.3.target_state")).toBe("Target state");
  });

  it("offers an enum's values, through a pipe and a default", () => {
    expect(fieldOptions(stateOptionSchema("integration"), "config.method")).toEqual(["GET", "POST", "PUT", "PATCH", "DELETE"]);
    expect(fieldOptions(stateOptionSchema("condition"), "config.logic")).toEqual(["and", "or"]);
  });
});

describe("typed values", () => {
  it("turns an emptied number box into a removed field, never NaN", () => {
    expect(parseNumber("")).toBeUndefined();
    expect(parseNumber("  ")).toBeUndefined();
    expect(parseNumber("abc")).toBeUndefined();
    expect(parseNumber("0.75")).toBe(0.75);
  });

  it("reads condition operands as JSON literals when they are, and as text otherwise", () => {
    expect(textToOperand("100")).toBe(100);
    expect(textToOperand("true")).toBe(true);
    expect(textToOperand('["a", 2]')).toEqual(["a", 2]);
    expect(textToOperand("{budget}")).toBe("{budget}");
    expect(textToOperand('{"a": 1}')).toBe('{"a": 1}');
    for (const operand of [100, true, null, ["a", 2], "{budget}"]) expect(textToOperand(operandToText(operand))).toEqual(operand);
  });
});

describe("where issues show", () => {
  it("matches an issue to a field only on whole path segments, preferring the longest", () => {
    const fields = ["transitions", "transitions.1", "transitions.10.target_state", "config.validation.email"];
    expect(closestField("transitions.10.target_state", fields)).toBe("transitions.10.target_state");
    expect(closestField("transitions.10.condition", fields)).toBe("transitions");
    expect(closestField("transitions.1.condition", fields)).toBe("transitions.1");
    expect(closestField("config.validation.email.values", fields)).toBe("config.validation.email");
    expect(closestField("config.prompts.email", fields)).toBeUndefined();
  });

  it("words a type error exactly as the validator does, so the two merge without repeats", () => {
    const state = { type: "llm", config: { system_prompt: "Hi", max_tokens: -3 }, transitions: [] } as unknown as DraftState;
    const local = schemaIssues("answer", state);
    expect(local.map((i) => [i.field, inlineMessage(i, "answer")])).toEqual([
      ["config.fallback_template", "An LLM state needs a fallback template"],
      ["config.max_tokens", "Max tokens must be more than 0"],
    ]);
    const validated = validateFlow({ name: "f", version: "1", initial_state: "answer", states: { answer: state } });
    const fromValidator = validated.ok ? [] : validated.issues;
    expect(mergeIssues(fromValidator, local)).toEqual(fromValidator);
    expect(mergeIssues([], local)).toEqual(local);
  });
});

describe("transition and slot edits", () => {
  const transitions = (state: DraftState) => state.transitions!.map((t) => `${t.target_state}:${t.priority}`);

  it("moves a transition in priority order even when declared order differs, renumbering 10, 20, 30", () => {
    const state: DraftState = {
      type: "response",
      config: { response_templates: { default: "x" } },
      transitions: [
        { condition: "any_input", target_state: "a", priority: 30 },
        { condition: "any_input", target_state: "b", priority: 10 },
        { condition: "any_input", target_state: "c", priority: 20 },
      ],
    };
    expect(transitions(moveInPriorityOrder("s", state, 0, -1))).toEqual(["b:10", "a:20", "c:30"]);
    expect(moveInPriorityOrder("s", state, 1, -1)).toBe(state);
  });

  it("adds a transition ahead of a fallback, where it can still be taken", () => {
    const added = addTransition("ask", FULL_STATES.intent!, { condition: "intent_match", condition_value: "order" }, "orders");
    expect(added.transitions!.map((t) => t.target_state)).toEqual(["hello", "orders", "ask"]);
  });

  it("renames a slot in its list, prompt, validation and the transitions waiting for it, and refuses a taken name", () => {
    const state = FULL_STATES.slot_filling as Extract<DraftState, { type: "slot_filling" }>;
    const renamed = renameSlot(state, "email", "work_email");
    if ("error" in renamed) throw new Error(renamed.error);
    expect(renamed.config.required_slots).toEqual(["work_email"]);
    expect(renamed.config.prompts).toMatchObject({ work_email: "Your email?" });
    expect(Object.keys(renamed.config.prompts!)[0]).toBe("work_email");
    expect(renamed.config.validation!.work_email).toEqual({ type: "email", error_message: "Not an email" });
    expect(renamed.transitions![0]!.condition_value).toBe("work_email");
    expect(renameSlot(state, "email", "budget")).toEqual({ error: 'This state already asks for a slot "budget"' });
    expect(renameSlot(state, "email", "__proto__")).toEqual({ error: '"__proto__" cannot be used as a name' });
  });

  it("switching a slot's check keeps its error message and drops what the new check ignores", () => {
    const state = FULL_STATES.slot_filling as Extract<DraftState, { type: "slot_filling" }>;
    const withMessage = { ...state, config: { ...state.config, validation: { code: { type: "regex" as const, pattern: "^x$", error_message: "Nope" } } } };
    expect(setSlotType(withMessage, "code", "enum").config.validation!.code).toEqual({ type: "enum", error_message: "Nope" });
    expect(setSlotType(withMessage, "code", null).config.validation).toEqual({});
  });
});
