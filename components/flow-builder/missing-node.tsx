"use client";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { MissingNode } from "@/lib/flow-builder/canvas-view";
import styles from "./state-node.module.css";

/** A transition's target that is not a state: drawn so the dangling transition can be seen and fixed. */
function MissingNodeView({ data }: NodeProps<MissingNode>) {
  return (
    <div className={styles.missing} data-testid="missing-node" data-state={data.name}>
      <Handle type="target" position={Position.Top} className={styles.handle} isConnectable={false} />
      Missing state: {data.name}
    </div>
  );
}

export const MissingNodeComponent = memo(MissingNodeView);
