"use client";
import type { CSSProperties, DragEvent } from "react";
import { STATE_TYPES } from "@/lib/flow-builder/document";
import type { StateType } from "@/server/flows/flow-schema";
import { PALETTE_DRAG_TYPE, STATE_LOOK } from "./state-types";
import styles from "./flow-builder.module.css";

/** One button per state type: click adds it in the middle of the view, dragging drops it where it lands. */
export function Palette({ onAdd }: { onAdd(type: StateType): void }) {
  const startDrag = (type: StateType) => (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <nav className={styles.palette} aria-label="Add a state">
      <h2 className={styles.paneTitle}>Add a state</h2>
      {STATE_TYPES.map((type) => {
        const look = STATE_LOOK[type];
        return (
          <button
            key={type}
            type="button"
            className={styles.paletteItem}
            title={look.description}
            aria-describedby={`palette-hint-${type}`}
            style={{ "--type": look.color } as CSSProperties}
            data-testid={`palette-${type}`}
            draggable
            onDragStart={startDrag(type)}
            onClick={() => onAdd(type)}
          >
            {look.label}
            <span id={`palette-hint-${type}`} className={styles.visuallyHidden}>
              {look.description}
            </span>
          </button>
        );
      })}
    </nav>
  );
}
