"use client";
import { BaseEdge, getBezierPath, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import type { TransitionEdge } from "@/lib/flow-builder/canvas-view";

// Constants, so an unchanged edge hands React Flow the same style objects.
const PROBLEM_STROKE = { stroke: "var(--err)", strokeWidth: 2 };
const LABEL = { fontSize: 11 };
const PROBLEM_LABEL = { ...LABEL, fill: "var(--err)", fontWeight: 700 };
const LABEL_BG = { fill: "#fff", fillOpacity: 0.9 };
const LABEL_PADDING: [number, number] = [4, 2];

/** One transition: its condition and priority on the line, in red with the problem as a tooltip when it has one. */
function TransitionEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, data, markerEnd }: EdgeProps<TransitionEdge>) {
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const problem = data?.problem;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        label={label}
        labelX={labelX}
        labelY={labelY}
        labelStyle={problem ? PROBLEM_LABEL : LABEL}
        labelBgStyle={LABEL_BG}
        labelBgPadding={LABEL_PADDING}
        labelBgBorderRadius={4}
        style={problem ? PROBLEM_STROKE : undefined}
      />
      {problem ? <title>{problem}</title> : null}
    </>
  );
}

export const TransitionEdgeComponent = memo(TransitionEdgeView);
