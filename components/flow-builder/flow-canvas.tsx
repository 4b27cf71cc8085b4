"use client";
import "@xyflow/react/dist/style.css";
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type Node,
  type NodeChange,
  type OnSelectionChangeParams,
} from "@xyflow/react";
import { memo, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import type { CanvasNode, CanvasView, TransitionEdge } from "@/lib/flow-builder/canvas-view";
import type { Position } from "@/lib/flow-builder/document";
import { NODE_HEIGHT, NODE_WIDTH } from "@/lib/flow-builder/layout";
import type { StateType } from "@/server/flows/flow-schema";
import { markActive, mergeView } from "./local-elements";
import { MissingNodeComponent } from "./missing-node";
import { isGhost } from "./selection-edits";
import { StateNodeComponent } from "./state-node";
import { PALETTE_DRAG_TYPE, STATE_LOOK } from "./state-types";
import { TransitionEdgeComponent } from "./transition-edge";
import styles from "./flow-builder.module.css";

/** Selection the builder asks for (a state just added or pasted, the node of a clicked issue); the nonce repeats a request. */
export type SelectRequest = { nodes: string[]; edges: string[]; nonce: number };
export type CanvasSelection = { nodes: string[]; edges: string[] };

type Props = {
  view: CanvasView;
  activeState: string | null;
  readOnly: boolean;
  selectRequest: SelectRequest | null;
  onSelectionChange(selection: CanvasSelection): void;
  /** Nodes let go after a drag (or moved with the arrow keys): one undo step. */
  onMoved(positions: Record<string, Position>): void;
  onConnectRequest(source: string, target: string): void;
  onDropType(type: StateType, at: Position): void;
};

// Module constants: React Flow warns about (and re-renders for) new objects on every render.
const NODE_TYPES = { state: StateNodeComponent, missing: MissingNodeComponent };
const EDGE_TYPES = { default: TransitionEdgeComponent };
const EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };
const FIT_OPTIONS = { maxZoom: 1, padding: 0.2 };
/** Beyond this many states the whole flow fitted to the view is too small to read. */
const FIT_ALL_UP_TO = 30;
const OPENING_NODES = 12;

/**
 * Where the canvas opens: the whole flow, or for a big one its top (the initial state and the states laid
 * out nearest it) at a readable zoom; the minimap and "Fit view" show the rest. Also far less to draw.
 */
function openingView(nodes: CanvasNode[]) {
  if (nodes.length <= FIT_ALL_UP_TO) return FIT_OPTIONS;
  const top = [...nodes].sort((a, b) => Number(b.type === "state" && b.data.initial) - Number(a.type === "state" && a.data.initial) || a.position.y - b.position.y || a.position.x - b.position.x);
  return { ...FIT_OPTIONS, nodes: top.slice(0, OPENING_NODES).map((n) => ({ id: n.id })) };
}
const MINIMAP_STYLE = { width: 150, height: 100 };
const minimapColor = (node: Node) => (node.type === "state" ? STATE_LOOK[(node as CanvasNode & { type: "state" }).data.type].color : "#c0262d");

function FlowCanvasView({ view, activeState, readOnly, selectRequest, onSelectionChange, onMoved, onConnectRequest, onDropType }: Props) {
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const viewNodes = useMemo(() => markActive(view.nodes, activeState), [view.nodes, activeState]);
  const [nodes, setNodes] = useState<CanvasNode[]>(viewNodes);
  const [edges, setEdges] = useState<TransitionEdge[]>(view.edges);
  const [shown, setShown] = useState({ nodes: viewNodes, edges: view.edges, request: selectRequest });
  const [opening] = useState(() => openingView(viewNodes));

  // Derived during render (not in an effect), so a change of the document reaches the canvas in the same paint.
  if (shown.nodes !== viewNodes || shown.edges !== view.edges || shown.request !== selectRequest) {
    const request = shown.request !== selectRequest ? selectRequest : null;
    setNodes(mergeView(nodes, viewNodes, shown.nodes, request && new Set(request.nodes)));
    setEdges(mergeView(edges, view.edges, shown.edges, request && new Set(request.edges)));
    setShown({ nodes: viewNodes, edges: view.edges, request: selectRequest });
  }

  const callbacks = useRef({ onMoved, onSelectionChange, onConnectRequest });
  useEffect(() => {
    callbacks.current = { onMoved, onSelectionChange, onConnectRequest };
  });

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
    // React Flow ends a drag, and each arrow-key move, with `dragging: false`: that is when the document changes.
    const moved: Record<string, Position> = {};
    for (const change of changes) {
      if (change.type === "position" && change.dragging === false && change.position && !isGhost(change.id)) moved[change.id] = change.position;
    }
    if (Object.keys(moved).length > 0) callbacks.current.onMoved(moved);
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<TransitionEdge>[]) => setEdges((current) => applyEdgeChanges(changes, current)), []);
  const selectionChanged = useCallback(
    ({ nodes, edges }: OnSelectionChangeParams) => callbacks.current.onSelectionChange({ nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id) }),
    [],
  );
  const connected = useCallback((connection: Connection) => {
    if (connection.source && connection.target && !isGhost(connection.target)) callbacks.current.onConnectRequest(connection.source, connection.target);
  }, []);
  const validConnection = useCallback((connection: Connection | TransitionEdge) => !isGhost(connection.target), []);

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (readOnly || !event.dataTransfer.types.includes(PALETTE_DRAG_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    },
    [readOnly],
  );
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_DRAG_TYPE) as StateType;
      if (readOnly || !Object.hasOwn(STATE_LOOK, type)) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onDropType(type, { x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y - NODE_HEIGHT / 2) });
    },
    [flow, onDropType, readOnly],
  );

  // Try it's active node: panned into view when it is outside, at the current zoom.
  useEffect(() => {
    const node = activeState === null ? undefined : flow.getInternalNode(activeState);
    const box = wrapper.current?.getBoundingClientRect();
    if (!node || !box) return;
    const { x, y, zoom } = flow.getViewport();
    const width = node.measured.width ?? NODE_WIDTH;
    const height = node.measured.height ?? NODE_HEIGHT;
    const { x: left, y: top } = node.internals.positionAbsolute;
    const screenLeft = left * zoom + x;
    const screenTop = top * zoom + y;
    const inside = screenLeft >= 0 && screenTop >= 0 && screenLeft + width * zoom <= box.width && screenTop + height * zoom <= box.height;
    if (!inside) void flow.setCenter(left + width / 2, top + height / 2, { zoom, duration: 300 });
  }, [activeState, flow]);

  return (
    <div className={styles.canvas} data-testid="flow-canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<CanvasNode, TransitionEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        defaultEdgeOptions={EDGE_OPTIONS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={selectionChanged}
        onConnect={connected}
        isValidConnection={validConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        // The builder deletes through its history (and never while someone types in a field).
        deleteKeyCode={null}
        fitView
        fitViewOptions={opening}
        // A big flow: nodes and edges outside the view are not rendered at all.
        onlyRenderVisibleElements
        minZoom={0.1}
        maxZoom={2}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable style={MINIMAP_STYLE} nodeColor={minimapColor} ariaLabel="Overview of the whole flow" />
      </ReactFlow>
    </div>
  );
}

export const FlowCanvas = memo(FlowCanvasView);
