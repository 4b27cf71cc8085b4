import type { ConditionOperator, FlowDefinitionInput, Operand, StateType } from "@/server/flows/flow-schema";
import type { IntegrationSample } from "@/server/flow-store/canvas-meta";
import { isCatchAll, priorityOf, reservedNameProblem, transitionsOf, type DraftState, type DraftTransition, type FlowDoc, type Position } from "./document";
import { defaultState } from "./state-defaults";

/*
 * Every edit the builder makes, as a function from one FlowDoc to a new one. Nothing is mutated, so
 * undo keeps plain references to earlier documents and unchanged states keep their identity
 * (the canvas re-renders only what changed).
 */

type States = FlowDefinitionInput["states"];

const PRIORITY_STEP = 10;

function withDefinition(doc: FlowDoc, patch: Partial<FlowDefinitionInput>): FlowDoc {
  return { ...doc, definition: { ...doc.definition, ...patch } };
}

function withStates(doc: FlowDoc, states: States): FlowDoc {
  return withDefinition(doc, { states });
}

function omitKeys<V>(record: Record<string, V>, names: ReadonlySet<string>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !names.has(key)));
}

/** `base` if free, else base_2, base_3...: the first one `taken` does not claim. */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}_${n}`)) return `${base}_${n}`;
}

export function addState(doc: FlowDoc, type: StateType, at?: Position): { doc: FlowDoc; name: string } {
  const states = doc.definition.states;
  const name = uniqueName(type, (candidate) => Object.hasOwn(states, candidate));
  const next = withStates(doc, { ...states, [name]: defaultState(type, doc.definition) });
  return { doc: at ? { ...next, canvas: { ...next.canvas, positions: { ...next.canvas.positions, [name]: at } } } : next, name };
}

// Records are rebuilt with Object.fromEntries, never by assignment: a state named "__proto__" stays a state.

/** The initial state may go too: the validator then says the flow has none. */
export function removeStates(doc: FlowDoc, names: readonly string[]): FlowDoc {
  const gone = new Set(names);
  const kept = Object.entries(doc.definition.states).filter(([name]) => !gone.has(name));
  const states: States = Object.fromEntries(
    kept.map(([name, state]) => {
      const transitions = transitionsOf(state);
      const staying = transitions.filter((t) => !gone.has(t.target_state));
      return [name, staying.length === transitions.length ? state : { ...state, transitions: staying }];
    }),
  );
  return {
    definition: { ...doc.definition, states },
    canvas: { ...doc.canvas, positions: omitKeys(doc.canvas.positions, gone), samples: omitKeys(doc.canvas.samples, gone) },
  };
}

function withTransitions(doc: FlowDoc, source: string, transitions: DraftTransition[]): FlowDoc {
  const state = doc.definition.states[source];
  if (!state) return doc;
  return withStates(doc, { ...doc.definition.states, [source]: { ...state, transitions } });
}

const renumbered = (transitions: DraftTransition[]): DraftTransition[] =>
  transitions.map((t, i) => ({ ...t, priority: (i + 1) * PRIORITY_STEP }));

/** Stable like the engine's sort, so ties keep their declared order. */
const byPriority = (transitions: DraftTransition[]): DraftTransition[] => [...transitions].sort((a, b) => priorityOf(a) - priorityOf(b));

/**
 * The new transition goes after the existing ones, except after a catch-all (fallback, any input):
 * there it would never run, so a conditional transition goes just before the first catch-all,
 * renumbering only when no priority fits between.
 */
export function connect(doc: FlowDoc, source: string, target: string, transition: Pick<DraftTransition, "condition" | "condition_value">): FlowDoc {
  const state = doc.definition.states[source];
  if (!state) return doc;
  const existing = transitionsOf(state);
  const added: DraftTransition = {
    condition: transition.condition,
    ...(transition.condition_value !== undefined && { condition_value: transition.condition_value }),
    target_state: target,
  };
  const ordered = byPriority(existing);
  const catchAll = isCatchAll(added.condition) ? -1 : ordered.findIndex((t) => isCatchAll(t.condition));
  if (catchAll === -1) {
    const last = ordered.at(-1);
    return withTransitions(doc, source, [...existing, { ...added, priority: last ? priorityOf(last) + PRIORITY_STEP : PRIORITY_STEP }]);
  }
  const before = ordered[catchAll - 1];
  const after = ordered[catchAll]!;
  const priority = (before ? priorityOf(before) : 0) + PRIORITY_STEP;
  if (priority < priorityOf(after)) {
    const at = existing.indexOf(after);
    return withTransitions(doc, source, [...existing.slice(0, at), { ...added, priority }, ...existing.slice(at)]);
  }
  return withTransitions(doc, source, renumbered([...ordered.slice(0, catchAll), added, ...ordered.slice(catchAll)]));
}

export function updateTransition(doc: FlowDoc, source: string, index: number, patch: Partial<DraftTransition>): FlowDoc {
  const state = doc.definition.states[source];
  const current = state && transitionsOf(state)[index];
  if (!state || !current) return doc;
  const updated: DraftTransition = { ...current, ...patch };
  // A condition without a value drops the key, so the draft holds no `condition_value: undefined`.
  if (updated.condition_value === undefined) delete updated.condition_value;
  return withTransitions(doc, source, transitionsOf(state).map((t, i) => (i === index ? updated : t)));
}

export function removeTransition(doc: FlowDoc, source: string, index: number): FlowDoc {
  const state = doc.definition.states[source];
  if (!state || index < 0 || index >= transitionsOf(state).length) return doc;
  return withTransitions(doc, source, transitionsOf(state).filter((_, i) => i !== index));
}

/**
 * `from` and `to` are declared positions (as in the field path `transitions.N`); afterwards priorities
 * are renumbered 10, 20, 30... so the declared order is the order the engine tries them in.
 */
export function moveTransition(doc: FlowDoc, source: string, from: number, to: number): FlowDoc {
  const state = doc.definition.states[source];
  if (!state) return doc;
  const transitions = transitionsOf(state);
  const moved = transitions[from];
  if (!moved || to < 0 || to >= transitions.length) return doc;
  const rest = transitions.filter((_, i) => i !== from);
  return withTransitions(doc, source, renumbered([...rest.slice(0, to), moved, ...rest.slice(to)]));
}

export function updateState(doc: FlowDoc, name: string, state: DraftState): FlowDoc {
  if (!Object.hasOwn(doc.definition.states, name)) return doc;
  return withStates(doc, { ...doc.definition.states, [name]: state });
}

function renameKey<V>(record: Record<string, V>, from: string, to: string): Record<string, V> {
  if (!Object.hasOwn(record, from)) return record;
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key === from ? to : key, value]));
}

function retarget(state: DraftState, from: string, to: string): DraftState {
  const transitions = transitionsOf(state);
  if (!transitions.some((t) => t.target_state === from)) return state;
  return { ...state, transitions: transitions.map((t) => (t.target_state === from ? { ...t, target_state: to } : t)) };
}

/**
 * Renames everywhere the name is used (transition targets, the initial state, positions, samples),
 * keeping the state's place among the others (exports stay diffable). `on_max_retries` is a message,
 * not a state, so it is left alone.
 */
export function renameState(doc: FlowDoc, from: string, to: string): { doc: FlowDoc } | { error: string } {
  const name = to.trim();
  if (!Object.hasOwn(doc.definition.states, from)) return { error: `There is no state "${from}"` };
  if (name === from) return { doc };
  if (name === "") return { error: "A state needs a name" };
  const reserved = reservedNameProblem(name);
  if (reserved) return { error: reserved };
  if (Object.hasOwn(doc.definition.states, name)) return { error: `A state named "${name}" already exists` };
  const states: States = Object.fromEntries(Object.entries(doc.definition.states).map(([key, state]) => [key === from ? name : key, retarget(state, from, name)]));
  return {
    doc: {
      definition: { ...doc.definition, states, initial_state: doc.definition.initial_state === from ? name : doc.definition.initial_state },
      canvas: { ...doc.canvas, positions: renameKey(doc.canvas.positions, from, name), samples: renameKey(doc.canvas.samples, from, name) },
    },
  };
}

export function setInitialState(doc: FlowDoc, name: string): FlowDoc {
  return doc.definition.initial_state === name ? doc : withDefinition(doc, { initial_state: name });
}

export function moveNodes(doc: FlowDoc, positions: Record<string, Position>): FlowDoc {
  return { ...doc, canvas: { ...doc.canvas, positions: { ...doc.canvas.positions, ...positions } } };
}

type Intents = NonNullable<FlowDefinitionInput["intents"]>;

export function setIntents(doc: FlowDoc, intents: Intents): FlowDoc {
  return withDefinition(doc, { intents });
}

/** Why an intent cannot take this name (adding or renaming), or null. */
export function intentNameProblem(name: string, intents: Intents): string | null {
  if (name === "") return "Intent name is required";
  return reservedNameProblem(name) ?? (Object.hasOwn(intents, name) ? `There is already an intent "${name}"` : null);
}

const INTENT_REFERENCE = "{intent}";
const NAME_OPERATORS = new Set<ConditionOperator>(["eq", "neq", "in"]);

/** A condition operand compared with `{intent}`: the name itself, or a list holding it. */
function renamedOperand(operand: Operand, from: string, to: string): Operand {
  if (operand === from) return to;
  return Array.isArray(operand) && operand.includes(from) ? operand.map((v) => (v === from ? to : v)) : operand;
}

function withIntentRenamed(state: DraftState, from: string, to: string): DraftState {
  let next = state;
  const transitions = transitionsOf(state);
  if (transitions.some((t) => t.condition === "intent_match" && t.condition_value === from)) {
    next = { ...next, transitions: transitions.map((t) => (t.condition === "intent_match" && t.condition_value === from ? { ...t, condition_value: to } : t)) };
  }
  if (next.type === "intent" && next.config.intent_patterns.includes(from)) {
    next = { ...next, config: { ...next.config, intent_patterns: next.config.intent_patterns.map((p) => (p === from ? to : p)) } };
  }
  if (next.type === "condition") {
    const conditions = next.config.conditions;
    const renamed = conditions.map((c) => {
      if (!NAME_OPERATORS.has(c.operator)) return c;
      if (c.left === INTENT_REFERENCE && c.right !== undefined) return { ...c, right: renamedOperand(c.right, from, to) };
      if (c.right === INTENT_REFERENCE) return { ...c, left: renamedOperand(c.left, from, to) };
      return c;
    });
    if (renamed.some((c, i) => c.left !== conditions[i]!.left || c.right !== conditions[i]!.right)) next = { ...next, config: { ...next.config, conditions: renamed } };
  }
  return next;
}

/**
 * Renames the intent in place among the others and wherever the flow routes on it: intent states'
 * patterns, `intent_match` transitions, and conditions comparing `{intent}` with its name. Without
 * that cascade the old name would still be listened for and the new one never routed.
 */
export function renameIntent(doc: FlowDoc, from: string, to: string): { doc: FlowDoc } | { error: string } {
  const intents = doc.definition.intents ?? {};
  const name = to.trim();
  if (!Object.hasOwn(intents, from)) return { error: `There is no intent "${from}"` };
  if (name === from) return { doc };
  const refused = intentNameProblem(name, intents);
  if (refused) return { error: refused };
  // A name already listened for (a pattern with no examples yet) would silently merge two ways on.
  const listening = Object.entries(doc.definition.states).find(([, state]) => state.type === "intent" && state.config.intent_patterns.includes(name));
  if (listening) return { error: `State "${listening[0]}" already listens for an intent "${name}"` };
  const states: States = Object.fromEntries(Object.entries(doc.definition.states).map(([key, state]) => [key, withIntentRenamed(state, from, name)]));
  return { doc: withDefinition(doc, { intents: renameKey(intents, from, name), states }) };
}

export function setEntityLists(doc: FlowDoc, lists: Record<string, string[]>): FlowDoc {
  return withDefinition(doc, { entities: { ...doc.definition.entities, lists } });
}

/** `undefined` removes the sample: Try it then calls the endpoint. */
export function setSample(doc: FlowDoc, state: string, sample: IntegrationSample | undefined): FlowDoc {
  const samples = sample === undefined ? omitKeys(doc.canvas.samples, new Set([state])) : { ...doc.canvas.samples, [state]: sample };
  return { ...doc, canvas: { ...doc.canvas, samples } };
}

