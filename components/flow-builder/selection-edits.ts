import { missingNodeId, parseEdgeId } from "@/lib/flow-builder/canvas-view";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { removeStates, removeTransition } from "@/lib/flow-builder/edits";

export type Selection = { nodes: readonly string[]; edges: readonly string[] };

const GHOST_PREFIX = missingNodeId("");

/**
 * The selection deleted as one edit: the selected transitions, then the selected states with every
 * transition leading to them. A missing state's ghost takes the transitions that lead to it.
 */
export function deleteSelected(doc: FlowDoc, selection: Selection): FlowDoc {
  // A state may itself be called "missing:…": its own node is the state, not a ghost.
  const states = selection.nodes.map((id) => (Object.hasOwn(doc.definition.states, id) ? id : (ghostTarget(id) ?? id)));
  // Highest index first, so the indexes still to remove keep pointing at the same transitions.
  const edges = selection.edges
    .map(parseEdgeId)
    .filter((edge) => edge !== null)
    .sort((a, b) => b.index - a.index);
  const withoutEdges = edges.reduce((next, edge) => removeTransition(next, edge.source, edge.index), doc);
  return states.length > 0 ? removeStates(withoutEdges, states) : withoutEdges;
}

export const isGhost = (id: string) => id.startsWith(GHOST_PREFIX);

/** The missing state a ghost node stands for; null for a state's own node. */
export const ghostTarget = (id: string) => (isGhost(id) ? id.slice(GHOST_PREFIX.length) : null);
