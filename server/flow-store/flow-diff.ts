import { intentDefinitionSchema, stateSchema, type FlowDefinitionInput } from "../flows/flow-schema";

/*
 * What changed between two flow definitions, for the versions panel. Pure and browser-safe (it imports
 * only the flow schema). Positions and samples live in the canvas column, not in a definition, so moving
 * a node never shows up here. States are matched by name: a renamed state is one removed and one added.
 */

export type ChangeKind = "added" | "removed" | "changed";

/** One difference at a dotted path: inside the state for a state's changes, inside the flow otherwise. */
export type FieldChange = {
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
  /** For a list of words (intents listened for, slots, examples, entity list values): what went in and out. */
  items?: { added: string[]; removed: string[] };
};

export type StateRef = { name: string; type: string };
export type StateDiff = StateRef & { changes: FieldChange[] };
export type FlowDiff = { added: StateRef[]; removed: StateRef[]; changed: StateDiff[]; flow: FieldChange[] };

type Json = unknown;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
// Names are the author's: a state or slot called "constructor" must not find Object.prototype's.
const own = (record: Record<string, unknown>, key: string): unknown => (Object.hasOwn(record, key) ? record[key] : undefined);

/** Deep equality that ignores key order (JSON columns do not keep it). */
function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => same(a[k], own(b, k)));
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const isWordList = (v: unknown[]) => v.every((x) => typeof x === "string");

function compare(path: string, before: Json, after: Json, out: FieldChange[]): void {
  if (same(before, after)) return;
  if (before === undefined) return void out.push({ path, kind: "added", after });
  if (after === undefined) return void out.push({ path, kind: "removed", before });
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) compare(join(path, key), own(before, key), own(after, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (isWordList(before) && isWordList(after)) {
      const items = { added: after.filter((w) => !before.includes(w)), removed: before.filter((w) => !after.includes(w)) };
      return void out.push({ path, kind: "changed", before, after, items });
    }
    // Transitions, conditions, carousel items: by position, each as a whole (condition, value, target, priority...).
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const [was, is] = [before[i], after[i]];
      if (same(was, is)) continue;
      out.push(was === undefined ? { path: join(path, i), kind: "added", after: is } : is === undefined ? { path: join(path, i), kind: "removed", before: was } : { path: join(path, i), kind: "changed", before: was, after: is });
    }
    return;
  }
  out.push({ path, kind: "changed", before, after });
}

/** With the schema's defaults filled in, so a draft and its published version compare equal; as written if it does not parse. */
function normalState(state: unknown): Json {
  const parsed = stateSchema.safeParse(state);
  return parsed.success ? parsed.data : state;
}

function normalIntents(intents: FlowDefinitionInput["intents"]): Record<string, Json> {
  return Object.fromEntries(Object.entries(intents ?? {}).map(([name, intent]) => {
    const parsed = intentDefinitionSchema.safeParse(intent);
    return [name, parsed.success ? parsed.data : intent];
  }));
}

const typeOf = (state: unknown): string => (isRecord(state) && typeof state.type === "string" ? state.type : "unknown");

function diffState(before: Json, after: Json): FieldChange[] {
  const changes: FieldChange[] = [];
  if (isRecord(before) && isRecord(after) && before.type !== after.type) {
    // Another type has another config: one change of the whole, not a field-by-field list of unrelated fields.
    changes.push({ path: "type", kind: "changed", before: before.type, after: after.type });
    if (!same(before.config, after.config)) changes.push({ path: "config", kind: "changed", before: before.config, after: after.config });
    compare("transitions", before.transitions, after.transitions, changes);
    return changes;
  }
  compare("", before, after, changes);
  return changes;
}

export function diffFlows(before: FlowDefinitionInput, after: FlowDefinitionInput): FlowDiff {
  const beforeStates = before.states ?? {};
  const afterStates = after.states ?? {};
  const added: StateRef[] = [];
  const removed: StateRef[] = [];
  const changed: StateDiff[] = [];
  for (const [name, state] of Object.entries(beforeStates)) if (!Object.hasOwn(afterStates, name)) removed.push({ name, type: typeOf(state) });
  for (const [name, state] of Object.entries(afterStates)) {
    if (!Object.hasOwn(beforeStates, name)) {
      added.push({ name, type: typeOf(state) });
      continue;
    }
    const changes = diffState(normalState(beforeStates[name]), normalState(state));
    if (changes.length) changed.push({ name, type: typeOf(state), changes });
  }

  const flow: FieldChange[] = [];
  compare("name", before.name, after.name, flow);
  compare("version", before.version, after.version, flow);
  compare("initial_state", before.initial_state, after.initial_state, flow);
  compare("intents", normalIntents(before.intents), normalIntents(after.intents), flow);
  compare("entities.lists", before.entities?.lists ?? {}, after.entities?.lists ?? {}, flow);
  compare("settings", before.settings ?? {}, after.settings ?? {}, flow);
  return { added, removed, changed, flow };
}

export function isEmptyDiff(diff: FlowDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0 && diff.flow.length === 0;
}
