import dagre from "@dagrejs/dagre";
import { transitionsOf, type FlowDoc, type Position } from "./document";

/** The size the layout leaves for a state node; the canvas draws nodes about this big. */
export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 96;

/**
 * The edges the layout ranks by: the breadth-first tree from the initial state, so each state sits
 * as many rows down as the fewest steps that reach it, and the initial state alone on top. States it
 * cannot reach hang under it. Only tree edges: the others (loops back, shortcuts down) would make
 * dagre route and order hundreds of long edges, seconds on a big flow, for edges React Flow draws itself.
 */
function treeEdges(doc: FlowDoc): [string, string][] {
  const { states, initial_state } = doc.definition;
  const names = Object.keys(states);
  const top = Object.hasOwn(states, initial_state) ? initial_state : names[0];
  if (top === undefined) return [];
  const seen = new Set<string>([top]);
  const edges: [string, string][] = [];
  const spread = (root: string) => {
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      const from = queue[i]!;
      for (const { target_state: to } of transitionsOf(states[from]!)) {
        if (seen.has(to) || !Object.hasOwn(states, to)) continue;
        seen.add(to);
        edges.push([from, to]);
        queue.push(to);
      }
    }
  };
  spread(top);
  for (const name of names) {
    if (seen.has(name)) continue;
    seen.add(name);
    edges.push([top, name]);
    spread(name);
  }
  return edges;
}

/** A position (top-left corner) for every state: top to bottom, the initial state first. */
export function autoLayout(doc: FlowDoc): Record<string, Position> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 72, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  // dagre keys plain objects by node id, so a state called "constructor" or "__proto__" would break it: it gets ids of its own.
  const names = Object.keys(doc.definition.states);
  const ids = new Map(names.map((name, i) => [name, `n${i}`]));
  for (const id of ids.values()) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [source, target] of treeEdges(doc)) graph.setEdge(ids.get(source)!, ids.get(target)!);
  // A tree's depth-first order already has no crossings; the sweeps that search for fewer cost time only.
  dagre.layout(graph, { disableOptimalOrderHeuristic: true });
  return Object.fromEntries(
    names.map((name) => {
      const { x, y } = graph.node(ids.get(name)!);
      return [name, { x: Math.round(x - NODE_WIDTH / 2), y: Math.round(y - NODE_HEIGHT / 2) }];
    }),
  );
}

/** The document with a position for every state: stored ones kept, the missing ones from autoLayout. */
export function placeMissing(doc: FlowDoc): FlowDoc {
  const stored = doc.canvas.positions;
  if (Object.keys(doc.definition.states).every((name) => Object.hasOwn(stored, name))) return doc;
  const laid = autoLayout(doc);
  const missing = Object.fromEntries(Object.entries(laid).filter(([name]) => !Object.hasOwn(stored, name)));
  return { ...doc, canvas: { ...doc.canvas, positions: { ...stored, ...missing } } };
}
