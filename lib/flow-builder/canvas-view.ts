import type { Edge, Node } from "@xyflow/react";
import type { StateType, TransitionCondition } from "@/server/flows/flow-schema";
import type { FlowIssue } from "@/server/flows/validate-flow";
import { conditionLabel } from "./conditions";
import { priorityOf, transitionsOf, type DraftTransition, type FlowDoc, type Position } from "./document";
import { autoLayout, NODE_WIDTH } from "./layout";
import { summarize } from "./node-summary";

export type StateNodeData = {
  name: string;
  type: StateType;
  /** Key content, at most 3 short lines. */
  summary: string[];
  initial: boolean;
  errors: number;
  warnings: number;
};
/** A transition's target that is not a state: drawn so the dangling transition is visible. */
export type MissingNodeData = { name: string };
export type TransitionEdgeData = {
  condition: TransitionCondition;
  condition_value: string | undefined;
  priority: number;
  /** Declared position in the source's transitions: the N of the field path `transitions.N`. */
  index: number;
  /** The first validation problem of this transition, if any. */
  problem: string | undefined;
};

export type StateNode = Node<StateNodeData, "state">;
export type MissingNode = Node<MissingNodeData, "missing">;
export type CanvasNode = StateNode | MissingNode;
export type TransitionEdge = Edge<TransitionEdgeData>;
export type CanvasView = { nodes: CanvasNode[]; edges: TransitionEdge[] };

export const missingNodeId = (target: string) => `missing:${target}`;
export const edgeId = (source: string, index: number) => `${source}#${index}`;

/** Parses an edge id back into its source state and declared transition index. */
export function parseEdgeId(id: string): { source: string; index: number } | null {
  const at = id.lastIndexOf("#");
  const index = Number(id.slice(at + 1));
  return at > 0 && Number.isInteger(index) && index >= 0 ? { source: id.slice(0, at), index } : null;
}

export const transitionLabel = (t: DraftTransition) => `${conditionLabel(t)} · ${priorityOf(t)}`;

type IssueIndex = { counts: Map<string, { errors: number; warnings: number }>; transitions: Map<string, string> };

const TRANSITION_FIELD = /^transitions\.(\d+)(?:\.|$)/;

function indexIssues(issues: readonly FlowIssue[]): IssueIndex {
  const index: IssueIndex = { counts: new Map(), transitions: new Map() };
  for (const issue of issues) {
    if (issue.state === undefined) continue;
    const count = index.counts.get(issue.state) ?? { errors: 0, warnings: 0 };
    if (issue.severity === "error") count.errors++;
    else count.warnings++;
    index.counts.set(issue.state, count);
    const n = issue.field && TRANSITION_FIELD.exec(issue.field)?.[1];
    const key = n && edgeId(issue.state, Number(n));
    if (key && !index.transitions.has(key)) index.transitions.set(key, issue.message);
  }
  return index;
}

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((line, i) => line === b[i]);

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => {
      const x = a[key];
      const y = b[key];
      return Array.isArray(x) && Array.isArray(y) ? sameLines(x, y) : x === y;
    })
  );
}

/** The earlier object when nothing it shows changed, so memoized node and edge components skip rendering. */
function reuse<T extends CanvasNode | TransitionEdge>(next: T, earlier: T | undefined, same: (a: T, b: T) => boolean): T {
  return earlier && same(next, earlier) && sameData(next.data as Record<string, unknown>, earlier.data as Record<string, unknown>) ? earlier : next;
}

const sameNode = (a: CanvasNode, b: CanvasNode) => a.type === b.type && a.position.x === b.position.x && a.position.y === b.position.y;
const sameEdge = (a: TransitionEdge, b: TransitionEdge) => a.source === b.source && a.target === b.target && a.label === b.label;

const GHOST_GAP = 60;

/**
 * Nodes and edges for React Flow, in O(states + transitions + issues): one node per state, a ghost
 * node per missing target, one edge per transition. Pass the previous view to keep the objects of
 * what did not change (React Flow and memoized components compare by reference).
 */
export function toCanvas(doc: FlowDoc, issues: readonly FlowIssue[], previous?: CanvasView): CanvasView {
  const { states, initial_state } = doc.definition;
  const names = Object.keys(states);
  const stored = doc.canvas.positions;
  const laidOut = names.some((name) => !Object.hasOwn(stored, name)) ? autoLayout(doc) : {};
  // Own keys only: a state called "constructor" must not be placed at Object's constructor.
  const positionOf = (name: string): Position => (Object.hasOwn(stored, name) ? stored[name]! : (laidOut[name] ?? { x: 0, y: 0 }));
  const { counts, transitions: transitionProblems } = indexIssues(issues);
  const earlierNodes = new Map(previous?.nodes.map((node) => [node.id, node]));
  const earlierEdges = new Map(previous?.edges.map((edge) => [edge.id, edge]));

  const nodes: CanvasNode[] = [];
  const edges: TransitionEdge[] = [];
  const ghosts = new Map<string, MissingNode>();
  for (const name of names) {
    const state = states[name]!;
    const count = counts.get(name);
    const node: StateNode = {
      id: name,
      type: "state",
      position: positionOf(name),
      data: { name, type: state.type, summary: summarize(state), initial: name === initial_state, errors: count?.errors ?? 0, warnings: count?.warnings ?? 0 },
    };
    nodes.push(reuse<CanvasNode>(node, earlierNodes.get(name), sameNode));
    let ghostsHere = 0;
    transitionsOf(state).forEach((t, index) => {
      let target = t.target_state;
      if (!Object.hasOwn(states, target)) {
        target = missingNodeId(t.target_state);
        if (!ghosts.has(target)) {
          const from = positionOf(name);
          ghosts.set(target, {
            id: target,
            type: "missing",
            position: { x: from.x + NODE_WIDTH + GHOST_GAP, y: from.y + ghostsHere++ * GHOST_GAP },
            data: { name: t.target_state },
          });
        }
      }
      const id = edgeId(name, index);
      const edge: TransitionEdge = {
        id,
        source: name,
        target,
        label: transitionLabel(t),
        data: { condition: t.condition, condition_value: t.condition_value, priority: priorityOf(t), index, problem: transitionProblems.get(id) },
      };
      edges.push(reuse(edge, earlierEdges.get(id), sameEdge));
    });
  }
  for (const ghost of ghosts.values()) nodes.push(reuse<CanvasNode>(ghost, earlierNodes.get(ghost.id), sameNode));
  return { nodes, edges };
}
