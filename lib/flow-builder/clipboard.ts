import type { IntegrationSample } from "@/server/flow-store/canvas-meta";
import { transitionsOf, type DraftState, type FlowDoc, type Position } from "./document";

/** A copied selection: the states as they were, with their editor data, independent of the document. */
export type Fragment = {
  states: Record<string, DraftState>;
  positions: Record<string, Position>;
  samples: Record<string, IntegrationSample>;
};

const PASTE_OFFSET: Position = { x: 40, y: 40 };

export function copyStates(doc: FlowDoc, names: readonly string[]): Fragment {
  const picked = names.filter((name) => Object.hasOwn(doc.definition.states, name));
  const pick = <V>(record: Record<string, V>) => Object.fromEntries(picked.filter((name) => Object.hasOwn(record, name)).map((name) => [name, record[name]!]));
  return { states: pick(doc.definition.states), positions: pick(doc.canvas.positions), samples: pick(doc.canvas.samples) };
}

/** "greet" stays "greet" when free, else "greet_copy", "greet_copy_2"... */
function pastedName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  if (!taken.has(`${name}_copy`)) return `${name}_copy`;
  for (let n = 2; ; n++) if (!taken.has(`${name}_copy_${n}`)) return `${name}_copy_${n}`;
}

/** Transitions among the pasted states follow their new names; those leaving the selection keep their targets. */
function remapped(state: DraftState, names: Map<string, string>): DraftState {
  return { ...state, transitions: transitionsOf(state).map((t) => ({ ...t, target_state: names.get(t.target_state) ?? t.target_state })) };
}

export function pasteStates(doc: FlowDoc, fragment: Fragment, offset: Position = PASTE_OFFSET): { doc: FlowDoc; names: string[] } {
  const taken = new Set(Object.keys(doc.definition.states));
  const renamed = new Map<string, string>();
  for (const name of Object.keys(fragment.states)) {
    const next = pastedName(name, taken);
    taken.add(next);
    renamed.set(name, next);
  }
  // Entries, not assignment: a state named "__proto__" stays a state.
  const moved = <V, W>(record: Record<string, V>, map: (value: V) => W): [string, W][] =>
    Object.entries(record).flatMap(([name, value]) => (renamed.has(name) ? [[renamed.get(name)!, map(value)]] : []));
  const states = { ...doc.definition.states, ...Object.fromEntries(moved(fragment.states, (state) => remapped(state, renamed))) };
  const positions = { ...doc.canvas.positions, ...Object.fromEntries(moved(fragment.positions, (p) => ({ x: p.x + offset.x, y: p.y + offset.y }))) };
  const samples = { ...doc.canvas.samples, ...Object.fromEntries(moved(fragment.samples, (sample) => sample)) };
  return {
    doc: { definition: { ...doc.definition, states }, canvas: { ...doc.canvas, positions, samples } },
    names: [...renamed.values()],
  };
}
