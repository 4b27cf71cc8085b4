"use client";
import { createContext, useContext } from "react";
import type { StateType } from "@/server/flows/flow-schema";
import type { FlowIssue } from "@/server/flows/validate-flow";
import styles from "./state-forms.module.css";

/** What every field of one panel shares: whose labels to read, whether it may change, and the issues placed under each field. */
export type FieldScope = { type: StateType | null; readOnly: boolean; issuesAt(path: string): FlowIssue[]; messageOf(issue: FlowIssue): string };

const FieldScopeContext = createContext<FieldScope>({ type: null, readOnly: false, issuesAt: () => [], messageOf: (issue) => issue.message });

export const FieldScopeProvider = FieldScopeContext.Provider;
export const useFieldScope = () => useContext(FieldScopeContext);

export function FieldIssues({ path, id }: { path: string; id?: string }) {
  const { issuesAt, messageOf } = useFieldScope();
  const issues = issuesAt(path);
  if (issues.length === 0) return null;
  return (
    <ul className={styles.issues} id={id} data-testid="field-issues" data-for={path}>
      {issues.map((issue, n) => (
        <li key={n} className={issue.severity === "warning" ? styles.warning : "error"} role={issue.severity === "warning" ? undefined : "alert"}>
          {issue.severity === "warning" ? "Warning: " : null}
          {messageOf(issue)}
        </li>
      ))}
    </ul>
  );
}
