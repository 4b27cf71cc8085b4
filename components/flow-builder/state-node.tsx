"use client";
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo, type CSSProperties } from "react";
import type { StateNode } from "@/lib/flow-builder/canvas-view";
import { STATE_LOOK } from "./state-types";
import styles from "./state-node.module.css";

/** Set by the canvas on the node Try it is in (local-elements.ts markActive). */
type ShownData = StateNode["data"] & { active?: boolean };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  const { name, type, summary, initial, errors, warnings, active } = data as ShownData;
  const look = STATE_LOOK[type];
  const classes = [styles.node, styles[type], selected && styles.selected, active && styles.active, errors > 0 && styles.hasErrors].filter(Boolean).join(" ");
  return (
    <div
      className={classes}
      style={{ "--type": look.color } as CSSProperties}
      data-testid="flow-node"
      data-state={name}
      data-type={type}
      data-active={active ? "true" : undefined}
    >
      <Handle type="target" position={Position.Top} className={styles.handle} />
      <div className={styles.head}>
        <span className={styles.type}>{look.label}</span>
        {initial ? (
          <span className={styles.initial} title="Every conversation starts here" data-testid="initial-marker">
            Initial
          </span>
        ) : null}
        <span className={styles.spacer} />
        {errors > 0 ? (
          <span className={styles.errors} title={plural(errors, "error")} aria-label={plural(errors, "error")} data-testid="node-errors">
            {errors}
          </span>
        ) : null}
        {warnings > 0 ? (
          <span className={styles.warnings} title={plural(warnings, "warning")} aria-label={plural(warnings, "warning")} data-testid="node-warnings">
            {warnings}
          </span>
        ) : null}
      </div>
      <div className={styles.name}>{name}</div>
      {summary.map((line, i) => (
        <div key={i} className={styles.summary} title={line}>
          {line}
        </div>
      ))}
      <Handle type="source" position={Position.Bottom} className={styles.handle} />
    </div>
  );
}

export const StateNodeComponent = memo(StateNodeView);
