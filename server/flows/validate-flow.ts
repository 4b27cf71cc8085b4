import { z } from "zod";
import { compilePattern } from "../security/safe-regex";
import { checkDestination } from "../security/ssrf-guard";
import { flowDefinitionSchema, type FlowDefinition, type FlowState } from "./flow-schema";
import { capitalized, flowIssueMessage, placeOf, STATE_WORDS } from "./flow-issue-wording";

export const flowIssueCodeSchema = z.enum([
  // errors
  "invalid_field",
  "unknown_state_type",
  "unknown_operator",
  "unknown_initial_state",
  "unknown_target",
  "missing_prompt",
  "unknown_intent",
  "missing_condition_value",
  "misplaced_transition",
  "empty_conditions",
  "missing_operand",
  "missing_pattern",
  "invalid_regex",
  "missing_enum_values",
  "unknown_list",
  "invalid_endpoint",
  "blocked_endpoint",
  // warnings: publishable, but probably not what the author meant (an editor's work in progress often
  // holds a state not wired in yet; the conversation never reaches it, or answers not-understood there)
  "unreachable_state",
  "dead_end",
  "no_fallback",
  "end_with_transitions",
  "unused_intent",
]);
export type FlowIssueCode = z.infer<typeof flowIssueCodeSchema>;

/** `field` is a dotted path inside the state (or the flow, when `state` is absent). */
export const flowIssueSchema = z.object({
  code: flowIssueCodeSchema,
  severity: z.enum(["error", "warning"]),
  state: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
});
export type FlowIssue = z.infer<typeof flowIssueSchema>;

export type FlowValidation = { ok: true; flow: FlowDefinition; warnings: FlowIssue[] } | { ok: false; issues: FlowIssue[] };

const WARNING_CODES = new Set<FlowIssueCode>(["unreachable_state", "dead_end", "no_fallback", "end_with_transitions", "unused_intent"]);

function issue(code: FlowIssueCode, message: string, state?: string, field?: string): FlowIssue {
  const severity = WARNING_CODES.has(code) ? "warning" : "error";
  return { code, severity, message, ...(state !== undefined && { state }), ...(field !== undefined && { field }) };
}

function fromZod(error: z.ZodError): FlowIssue[] {
  return error.issues.map((zodIssue) => {
    const path = zodIssue.path.map(String);
    const inState = path[0] === "states" && path.length > 1;
    const state = inState ? path[1] : undefined;
    const field = (inState ? path.slice(2) : path).join(".") || undefined;
    const code: FlowIssueCode =
      path.at(-1) === "operator" ? "unknown_operator" : inState && field === "type" ? "unknown_state_type" : "invalid_field";
    const place = placeOf(zodIssue.path);
    return issue(code, place ? `${place}: ${zodIssue.message}` : zodIssue.message, state, field);
  });
}

/** Where each transition kind is meaningful. */
const TRANSITION_HOME: Partial<Record<string, FlowState["type"]>> = {
  intent_match: "intent",
  condition: "condition",
  integration_success: "integration",
  integration_error: "integration",
};

/** States that act and move on; with no transitions, a conversation would stall in them. */
const ROUTING_TYPES = new Set<FlowState["type"]>(["intent", "condition", "integration", "slot_filling"]);

function checkTransitions(name: string, state: FlowState, stateNames: Set<string>, errors: FlowIssue[]): void {
  state.transitions.forEach((t, i) => {
    const at = `transitions.${i}`;
    const transition = `Transition ${i + 1} of state "${name}"`;
    if (!stateNames.has(t.target_state)) {
      errors.push(issue("unknown_target", `${transition} goes to "${t.target_state}", which does not exist`, name, `${at}.target_state`));
    }
    const home = TRANSITION_HOME[t.condition];
    if (home && home !== state.type) {
      errors.push(issue("misplaced_transition", `${transition} uses "${t.condition}", which only works on ${STATE_WORDS[home]} state`, name, `${at}.condition`));
      return;
    }
    if (t.condition === "intent_match" && state.type === "intent") {
      if (!t.condition_value) {
        errors.push(issue("missing_condition_value", `${transition} needs the intent's name as its condition value`, name, `${at}.condition_value`));
      } else if (!state.config.intent_patterns.includes(t.condition_value)) {
        errors.push(
          issue("unknown_intent", `${transition} matches intent "${t.condition_value}", which is not in the state's intent patterns`, name, `${at}.condition_value`),
        );
      }
    }
  });
}

export type ValidateFlowOptions = {
  /** The operator's OUTBOUND_ALLOWED_HOSTS: host:port pairs an endpoint may name although they are private. */
  allowedHosts?: readonly string[];
};

// Scheme and authority of an endpoint template; the path and query may hold placeholders.
const ORIGIN = /^(?:([a-z][a-z\d+.-]*):\/\/)?([^/?#]*)/i;

/** The call is still guarded when it is made; this tells the author at publish time, not the customer at chat time. */
function checkEndpoint(name: string, endpoint: string, options: ValidateFlowOptions, errors: FlowIssue[]): void {
  const at = "config.endpoint";
  const [, scheme, authority = ""] = ORIGIN.exec(endpoint.trim()) ?? [];
  if (!scheme) {
    errors.push(issue("invalid_endpoint", `State "${name}": The endpoint must be a full URL starting with https:// or http://`, name, at));
    return;
  }
  // A placeholder in the host would let whatever a customer types choose where the call (and its headers) goes.
  if (authority.includes("{") || authority.includes("}")) {
    errors.push(issue("invalid_endpoint", `State "${name}": The endpoint's host cannot contain a {placeholder}; use placeholders in the path or query only`, name, at));
    return;
  }
  const verdict = checkDestination(endpoint, options.allowedHosts);
  if (!verdict.allowed) {
    errors.push(issue("blocked_endpoint", `State "${name}": Calls to this endpoint would be refused: ${verdict.reason}`, name, at));
  }
}

function checkConfig(name: string, state: FlowState, flow: FlowDefinition, options: ValidateFlowOptions, errors: FlowIssue[]): void {
  if (state.type === "integration") checkEndpoint(name, state.config.endpoint, options, errors);
  if (state.type === "slot_filling") {
    const { required_slots, prompts, validation } = state.config;
    for (const slot of required_slots) {
      if (!prompts[slot]) errors.push(issue("missing_prompt", `State "${name}": Required slot "${slot}" has no prompt`, name, `config.prompts.${slot}`));
    }
    for (const [slot, rule] of Object.entries(validation)) {
      const at = `config.validation.${slot}`;
      if (rule.type === "regex") {
        if (rule.pattern === undefined) errors.push(issue("missing_pattern", `State "${name}": The regex validation of slot "${slot}" needs a pattern`, name, `${at}.pattern`));
        else {
          const compiled = compilePattern(rule.pattern);
          if (!compiled.ok) errors.push(issue("invalid_regex", `State "${name}", pattern of slot "${slot}": ${compiled.error}`, name, `${at}.pattern`));
        }
      }
      if (rule.type === "enum") {
        if (rule.list !== undefined && !(rule.list in flow.entities.lists)) {
          errors.push(issue("unknown_list", `State "${name}": Slot "${slot}" uses the entity list "${rule.list}", which does not exist`, name, `${at}.list`));
        } else if ((rule.values ?? []).length === 0 && rule.list === undefined) {
          errors.push(issue("missing_enum_values", `State "${name}": The enum validation of slot "${slot}" needs values or a list`, name, at));
        }
      }
    }
  }
  if (state.type === "condition") {
    if (state.config.conditions.length === 0) {
      errors.push(issue("empty_conditions", `State "${name}": A condition state needs at least one condition`, name, "config.conditions"));
    }
    state.config.conditions.forEach((c, i) => {
      if (c.operator !== "exists" && c.right === undefined) {
        errors.push(issue("missing_operand", `State "${name}": Condition ${i + 1} uses "${c.operator}", which needs a right operand`, name, `config.conditions.${i}.right`));
      }
    });
  }
}

function warningsFor(name: string, state: FlowState): FlowIssue[] {
  const has = (...conditions: string[]) => state.transitions.some((t) => conditions.includes(t.condition));
  const warnings: FlowIssue[] = [];
  const noWayOut =
    (state.type === "intent" && !has("fallback", "any_input")) ||
    (state.type === "condition" && !has("fallback", "any_input")) ||
    (state.type === "integration" && !has("integration_error", "fallback", "any_input")) ||
    (state.type === "slot_filling" && !has("fallback"));
  if (noWayOut && state.transitions.length > 0) {
    const why =
      state.type === "slot_filling"
        ? "after the last retry the user is asked the same question again"
        : "when nothing matches, the conversation stays here and the user only gets the flow's not-understood message";
    warnings.push(issue("no_fallback", `State "${name}" has no fallback transition: ${why}`, name, "transitions"));
  }
  if (state.type === "response" && state.config.end && state.transitions.length > 0) {
    warnings.push(issue("end_with_transitions", `State "${name}" ends the conversation, so its transitions are never used`, name, "config.end"));
  }
  return warnings;
}

function reachableFrom(flow: FlowDefinition): Set<string> {
  const seen = new Set<string>([flow.initial_state]);
  const queue = [flow.initial_state];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const t of (Object.hasOwn(flow.states, name) ? flow.states[name]!.transitions : [])) {
      if (!seen.has(t.target_state) && Object.hasOwn(flow.states, t.target_state)) {
        seen.add(t.target_state);
        queue.push(t.target_state);
      }
    }
  }
  return seen;
}

/** Schema first, then the graph: a flow with any error cannot be published. */
export function validateFlow(input: unknown, options: ValidateFlowOptions = {}): FlowValidation {
  const parsed = flowDefinitionSchema.safeParse(input, { error: (raw) => flowIssueMessage(raw, input) });
  if (!parsed.success) return { ok: false, issues: fromZod(parsed.error) };
  const flow = parsed.data;

  const errors: FlowIssue[] = [];
  const warnings: FlowIssue[] = [];
  const stateNames = new Set(Object.keys(flow.states));

  if (!stateNames.has(flow.initial_state)) {
    errors.push(issue("unknown_initial_state", `The initial state "${flow.initial_state}" is not a state in this flow`, undefined, "initial_state"));
  }
  const reachable = stateNames.has(flow.initial_state) ? reachableFrom(flow) : null;
  const listenedFor = new Set<string>();

  for (const [name, state] of Object.entries(flow.states)) {
    checkTransitions(name, state, stateNames, errors);
    checkConfig(name, state, flow, options, errors);
    warnings.push(...warningsFor(name, state));
    if (state.transitions.length === 0 && ROUTING_TYPES.has(state.type)) {
      warnings.push(issue("dead_end", `State "${name}": ${capitalized(STATE_WORDS[state.type])} state has no transitions; a conversation that gets here only hears the not-understood message`, name, "transitions"));
    }
    if (reachable && !reachable.has(name)) {
      warnings.push(issue("unreachable_state", `State "${name}" cannot be reached: no transition leads to it from "${flow.initial_state}"`, name));
    }
    if (state.type === "intent") for (const intent of state.config.intent_patterns) listenedFor.add(intent);
  }
  for (const intent of Object.keys(flow.intents)) {
    if (!listenedFor.has(intent)) {
      warnings.push(issue("unused_intent", `No intent state listens for the intent "${intent}"`, undefined, `intents.${intent}`));
    }
  }

  return errors.length > 0 ? { ok: false, issues: [...errors, ...warnings] } : { ok: true, flow, warnings };
}
