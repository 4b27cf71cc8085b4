"use client";
import { useEffect, useRef, type ReactNode } from "react";
import styles from "./flow-builder.module.css";

/**
 * A <dialog> shown modally while `open`: Escape closes it through `onClose` (its `cancel` event), and
 * the first field takes the focus (showModal's own choice may be the close button). The content is
 * rendered only while open, so each opening starts from a fresh form.
 */
export function ModalDialog({ open, testId, labelledBy, onClose, children }: {
  open: boolean;
  testId: string;
  labelledBy: string;
  onClose(): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      data-testid={testId}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
