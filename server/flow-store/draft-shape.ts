import type { z } from "zod";
import { AppError } from "../errors/app-error";
import { placeOf, STATE_WORDS } from "../flows/flow-issue-wording";
import { flowDefinitionSchema, stateSchema, transitionSchema, type FlowDefinitionInput, type StateType } from "../flows/flow-schema";
import { validateFlow, type FlowIssue } from "../flows/validate-flow";

/*
 * Two levels of checking, so that a draft is always a flow (something the editor, the docs and the
 * validator can talk about) while work in progress is never lost:
 * - shape: the definition parses with the flow schema (every required field present with the right
 *   type, known state types, conditions and operators) and holds no field the format does not have
 *   (a guess such as `nodes` or a typo such as `transition` would otherwise be dropped silently).
 *   A draft failing these is refused by create, saveDraft and import, with every problem listed.
 * - publish: everything validateFlow checks beyond the schema (targets and the initial state exist,
 *   every state is reachable, prompts, patterns, endpoints...). A draft failing only these is saved
 *   with its problems shown; publishing is what demands them.
 */

// In the schema's declaration order, which is also the order an exported flow lists them in (flow-export.ts).
const keysOf = (schema: z.ZodObject) => new Set(Object.keys(schema.shape));
export const FLOW_FIELDS = keysOf(flowDefinitionSchema);
export const TRANSITION_FIELDS = keysOf(transitionSchema);
export const STATE_FIELDS = new Map(stateSchema.options.map((option) => [option.shape.type.value, { state: keysOf(option), config: keysOf(option.shape.config) }]));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `at` is the path of the object holding the key, as zod gives it, so the message says where like the validator's. */
function unknownField(key: string, what: string, at: (string | number)[] = []): FlowIssue {
  const place = placeOf(at);
  const state = at[0] === "states" ? String(at[1]) : undefined;
  const field = [...at.slice(state === undefined ? 0 : 2), key].join(".");
  const message = `"${key}" is not a field of ${what}`;
  return { code: "invalid_field", severity: "error", message: place ? `${place}: ${message}` : message, field, ...(state !== undefined && { state }) };
}

function extraKeys(value: unknown, known: Set<string>): string[] {
  return isRecord(value) ? Object.keys(value).filter((key) => !known.has(key)) : [];
}

/** Fields the format does not have, down to transitions; deeper maps (templates, prompts, mappings) hold the author's own keys. */
function unknownFields(definition: unknown): FlowIssue[] {
  if (!isRecord(definition)) return [];
  const found = extraKeys(definition, FLOW_FIELDS).map((key) => unknownField(key, "a flow"));
  const states = isRecord(definition.states) ? definition.states : {};
  for (const [name, state] of Object.entries(states)) {
    // A state of no known type is already a schema problem, and its fields mean nothing yet.
    const type = isRecord(state) && STATE_FIELDS.has(state.type as StateType) ? (state.type as StateType) : undefined;
    if (!type || !isRecord(state)) continue;
    const fields = STATE_FIELDS.get(type)!;
    found.push(...extraKeys(state, fields.state).map((key) => unknownField(key, "a state", ["states", name])));
    found.push(...extraKeys(state.config, fields.config).map((key) => unknownField(key, `${STATE_WORDS[type]} state's config`, ["states", name, "config"])));
    const transitions = Array.isArray(state.transitions) ? state.transitions : [];
    transitions.forEach((t, i) => found.push(...extraKeys(t, TRANSITION_FIELDS).map((key) => unknownField(key, "a transition", ["states", name, "transitions", i]))));
  }
  return found;
}

/** The shape problems of a definition; empty when it may be stored as a draft. */
export function draftShapeProblems(definition: unknown): FlowIssue[] {
  if (flowDefinitionSchema.safeParse(definition).success) return unknownFields(definition);
  // The validator reports schema failures alone (the graph checks need a parsed flow), in its own words.
  const check = validateFlow(definition);
  return [...(check.ok ? [] : check.issues), ...unknownFields(definition)];
}

/** A draft must have the flow's shape; what only publishing demands may still be missing. */
export function requireDraftShape(definition: unknown): asserts definition is FlowDefinitionInput {
  const issues = draftShapeProblems(definition);
  if (issues.length) throw new AppError("VALIDATION_ERROR", "This is not a flow definition yet, so nothing was saved. Fix these and try again:", { issues });
}
