"use client";
import { useState, type ReactNode } from "react";
import type { PanelTab } from "./issue-route";
import styles from "./flow-builder.module.css";

const TABS: { id: PanelTab; label: string; adminOnly?: boolean }[] = [
  { id: "state", label: "State" },
  { id: "intents", label: "Intents" },
  { id: "try", label: "Try it", adminOnly: true },
  { id: "versions", label: "Versions" },
  { id: "tests", label: "Tests" },
  { id: "json", label: "JSON" },
];

type Props = {
  tab: PanelTab;
  onTab(tab: PanelTab): void;
  canManage: boolean;
  /** The content of each tab; "try" stays mounted once opened, so its conversation survives a look at another tab. */
  render(tab: PanelTab): ReactNode;
};

/** The right-hand panel: one tab at a time, Try it kept alive in the background. */
export function SidePanel({ tab, onTab, canManage, render }: Props) {
  const tabs = TABS.filter((t) => canManage || !t.adminOnly);
  const [tryOpened, setTryOpened] = useState(tab === "try");
  if (tab === "try" && !tryOpened) setTryOpened(true);
  return (
    <aside className={styles.side} aria-label="Details">
      <div className={styles.tabs} role="tablist" aria-label="Panels">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-controls={`tabpanel-${t.id}`}
            aria-selected={tab === t.id}
            className={styles.tab}
            data-testid={`tab-${t.id}`}
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) => {
        const open = tab === t.id;
        if (!open && !(t.id === "try" && tryOpened)) return null;
        return (
          <div key={t.id} role="tabpanel" id={`tabpanel-${t.id}`} aria-labelledby={`tab-${t.id}`} className={styles.tabPanel} hidden={!open}>
            {render(t.id)}
          </div>
        );
      })}
    </aside>
  );
}
