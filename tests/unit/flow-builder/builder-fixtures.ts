import { generateFlow } from "@/bench/generated-flow";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { draftShapeProblems } from "@/server/flow-store/draft-shape";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import demoFlowJson from "@/server/flows/demo-flow.json";

/** A document over a definition that is checked to be flow-shaped, as a stored draft is. */
export function docOf(definition: unknown, canvas: Partial<FlowDoc["canvas"]> = {}): FlowDoc {
  const problems = draftShapeProblems(definition);
  if (problems.length > 0) throw new Error(`fixture is not a flow: ${problems.map((p) => p.message).join("; ")}`);
  return { definition: structuredClone(definition) as FlowDefinitionInput, canvas: { positions: {}, samples: {}, ...canvas } };
}

/** The Acme Store demo: every state type, 24 states. */
export const demoDoc = (): FlowDoc => docOf(demoFlowJson);

/** The flow the editor's speed targets are stated for: 300 states, 600 transitions (bench/generated-flow.ts). */
export const generatedDoc = (states = 300): FlowDoc => docOf(generateFlow(states));

/** Deterministic randomness (mulberry32), so a failing sequence of edits can be replayed. */
export function seeded(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(items: readonly T[]): T | undefined => items[int(items.length)] };
}
