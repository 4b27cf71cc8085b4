import type { Edge, Node } from "@xyflow/react";

/*
 * React Flow in controlled mode keeps what it measured, what is selected and where a node is being
 * dragged on the objects it is handed. The canvas keeps those local objects and, when the document's
 * view changes, takes the view's objects only where the view changed: an unchanged node keeps its
 * object (React Flow and the memoized node components then skip it), a changed one keeps its
 * measurements and selection.
 */

type Element = Node | Edge;

/** Carries the local, React Flow owned fields of `own` onto a new view object. */
function carried<T extends Element>(view: T, own: T): T {
  if (!("position" in own)) return { ...view, selected: own.selected };
  const node = own as Node;
  return {
    ...view,
    selected: node.selected,
    measured: node.measured,
    ...(node.dragging && { dragging: true, position: node.position }),
  };
}

/**
 * The local elements for a new view. `select`, when given, is the exact selection wanted afterwards
 * (a state just added or pasted, the node of a clicked issue); otherwise selection stays as it was.
 */
export function mergeView<T extends Element>(local: readonly T[], view: readonly T[], previousView: readonly T[], select: ReadonlySet<string> | null = null): T[] {
  const before = new Map(previousView.map((element) => [element.id, element]));
  const mine = new Map(local.map((element) => [element.id, element]));
  return view.map((element) => {
    const own = mine.get(element.id);
    let next = own === undefined ? element : before.get(element.id) === element ? own : carried(element, own);
    if (select !== null && select.has(next.id) !== Boolean(next.selected)) next = { ...next, selected: select.has(next.id) };
    return next;
  });
}

/** The view's nodes with the one Try it is in marked: only that node's object changes. */
export function markActive<T extends Node>(nodes: T[], active: string | null): T[] {
  if (active === null) return nodes;
  const at = nodes.findIndex((node) => node.id === active);
  if (at === -1) return nodes;
  const marked = [...nodes];
  marked[at] = { ...nodes[at]!, data: { ...nodes[at]!.data, active: true } };
  return marked;
}
