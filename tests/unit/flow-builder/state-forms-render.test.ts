import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StatePanel, type StatePanelProps } from "@/components/flow-builder/state-panel";
import { placeIssues } from "@/components/flow-builder/state-forms/issue-placement";
import { fieldTitle, schemaAt, stateOptionSchema } from "@/components/flow-builder/state-forms/schema-fields";
import { integrationSampleSchema } from "@/server/flow-store/canvas-meta";
import { validateFlow } from "@/server/flows/validate-flow";
import { conditionChoices } from "@/lib/flow-builder/conditions";
import type { DraftState } from "@/lib/flow-builder/document";
import { FULL_STATES } from "./state-forms-fixtures";

function render(name: string, overrides: Partial<StatePanelProps> = {}): string {
  const state = FULL_STATES[name]!;
  const props: StatePanelProps = {
    name,
    state,
    stateNames: ["ask", "hello", name],
    intentNames: ["greet", "order"],
    listNames: ["products"],
    slotNames: ["email"],
    isInitial: false,
    issues: [],
    focusField: null,
    readOnly: false,
    sample: state.type === "integration" ? { status: 200, body: { data: { status: "shipped" } } } : undefined,
    onChange: () => {},
    onRename: () => null,
    onSetInitial: () => {},
    onDelete: () => {},
    onSampleChange: () => {},
    ...overrides,
  };
  return renderToStaticMarkup(createElement(StatePanel, props));
}

const attributeValues = (html: string, attribute: string) => [...html.matchAll(new RegExp(`${attribute}="([^"]*)"`, "g"))].map((m) => m[1]!);

describe("state panel forms", () => {
  it.each(Object.keys(FULL_STATES))("gives every field of a %s state a data-field that is a path in the state schema", (name) => {
    const html = render(name);
    const type = FULL_STATES[name]!.type;
    const fields = attributeValues(html, "data-field");
    expect(fields.length).toBeGreaterThan(3);
    const unknown = fields.filter((field) =>
      field.startsWith("sample.") ? !schemaAt(integrationSampleSchema, field.slice("sample.".length)) : !schemaAt(stateOptionSchema(type), field),
    );
    expect(unknown).toEqual([]);
    expect(fields).toContain("transitions");
  });

  it.each(Object.keys(FULL_STATES))("labels every control of a %s state", (name) => {
    const html = render(name);
    const controls = [...html.matchAll(/<(input|select|textarea)\b[^>]*>/g)].map((m) => m[0]);
    const labelled = new Set(attributeValues(html, "for"));
    const unlabelled = controls.filter((tag) => !labelled.has(/ id="([^"]*)"/.exec(tag)?.[1] ?? "(none)"));
    expect(unlabelled).toEqual([]);
  });

  it("labels fields with the schema's titles", () => {
    const html = render("llm");
    for (const path of ["config.system_prompt", "config.max_tokens", "config.timeout_ms", "config.fallback_template", "config.model"]) {
      expect(html).toContain(`>${fieldTitle("llm", path)}</label>`);
    }
    expect(html).toContain(">Max tokens</label>");
    expect(render("integration")).toContain(">Sample status</label>");
  });

  it("shows the fields each slot check needs: a pattern for regex, the list for enum, bounds for money", () => {
    const fields = attributeValues(render("slot_filling"), "data-field");
    expect(fields).toEqual(
      expect.arrayContaining([
        "config.required_slots.0",
        "config.optional_slots.2",
        "config.prompts.email",
        "config.validation.code.pattern",
        "config.validation.product.list",
        "config.validation.budget.min",
        "config.validation.budget.max",
        "config.validation.email.error_message",
      ]),
    );
    expect(fields).not.toContain("config.validation.product.values");
    expect(fields).not.toContain("config.validation.email.pattern");
  });

  it("hides the right operand of an exists condition", () => {
    const fields = attributeValues(render("condition"), "data-field");
    expect(fields).toContain("config.conditions.0.right");
    expect(fields).not.toContain("config.conditions.1.right");
  });

  it("places the validator's issues under the rendered field they name, and issues naming no field at the top", () => {
    const state = FULL_STATES.slot_filling as Extract<DraftState, { type: "slot_filling" }>;
    const broken: DraftState = {
      ...state,
      config: { ...state.config, prompts: { budget: "Budget?" } },
      transitions: [{ condition: "slot_filled" as const, condition_value: "email", target_state: "nowhere", priority: 10 }],
    };
    const result = validateFlow({
      name: "f",
      version: "1",
      initial_state: "start",
      entities: { lists: { products: ["phone"] } },
      states: { start: { type: "handoff", config: { message: "hi" } }, slot_filling: broken },
    });
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues.filter((i) => i.state === "slot_filling");
    const fields = attributeValues(render("slot_filling", { state: broken, issues }), "data-field");
    expect(issues.map((i) => i.code).sort()).toEqual(["missing_prompt", "no_fallback", "unknown_target", "unreachable_state"]);
    const { at, top } = placeIssues(issues, fields);
    expect(at.get("config.prompts.email")?.map((i) => i.code)).toEqual(["missing_prompt"]);
    expect(at.get("transitions.0.target_state")?.map((i) => i.code)).toEqual(["unknown_target"]);
    expect(at.get("transitions")?.map((i) => i.code)).toEqual(["no_fallback"]);
    expect(top.map((i) => i.code)).toEqual(["unreachable_state"]);
  });

  it("offers in a transition's condition list the choices the connect dialog offers for that state type", () => {
    const optionsOf = (html: string, field: string) => {
      const select = new RegExp(`<select[^>]*data-field="${field}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? "";
      return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({ value: m[1], label: m[2] }));
    };
    for (const name of ["response", "intent", "integration", "slot_filling", "condition"]) {
      expect(optionsOf(render(name), "transitions.0.condition")).toEqual(conditionChoices(FULL_STATES[name]!.type));
    }
    // A condition the validator refuses on this type (an imported flow) still shows, under its own words.
    const misplaced = { ...FULL_STATES.response!, transitions: [{ condition: "integration_error" as const, target_state: "ask", priority: 10 }] };
    expect(optionsOf(render("response", { state: misplaced }), "transitions.0.condition").at(-1)).toEqual({ value: "integration_error", label: "The call fails" });
  });

  it("hides every button that changes the state from a read-only viewer", () => {
    const html = render("intent", { readOnly: true });
    expect(html).not.toContain("<button");
    expect(html).toContain('data-testid="state-panel"');
  });
});
