"use client";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { TransitionEdge } from "@/lib/flow-builder/canvas-view";
import styles from "./flow-builder.module.css";

// A constant, so an unchanged edge hands React Flow the same style object.
const PROBLEM_STROKE = { stroke: "var(--err)", strokeWidth: 2 };

/**
 * One transition: its condition and priority on the line, in red with the problem as a tooltip when it has
 * one. The label is HTML, not SVG text: React Flow measures SVG labels one by one (getBBox), hundreds of
 * forced layouts when a big flow opens.
 */
function TransitionEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, data, markerEnd }: EdgeProps<TransitionEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const problem = data?.problem;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={problem ? PROBLEM_STROKE : undefined} />
      {problem ? <title>{problem}</title> : null}
      {label ? (
        <EdgeLabelRenderer>
          <div
            className={problem ? `${styles.edgeLabel} ${styles.edgeProblem}` : styles.edgeLabel}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid="edge-label"
            data-edge={id}
          >
            {label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const TransitionEdgeComponent = memo(TransitionEdgeView);
