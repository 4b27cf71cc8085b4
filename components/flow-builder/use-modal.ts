"use client";
import { useEffect, useRef } from "react";

/**
 * A <dialog> shown modally while `open`: Escape closes it through the caller (its `cancel` event), and
 * the first field takes the focus (showModal's own choice may be the close button).
 */
export function useModal(open: boolean) {
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
  return ref;
}
