"use client";
import { memo } from "react";
import { FlowIssueList } from "@/components/flow-issue-list";
import type { FlowIssue } from "@/server/flows/validate-flow";
import styles from "./flow-builder.module.css";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What the validator says about the draft as it is on screen; a click on a problem goes to it. */
function IssuePanelView({ issues, onSelect }: { issues: FlowIssue[]; onSelect(issue: FlowIssue): void }) {
  const errors = issues.filter((i) => i.severity === "error").length;
  const warnings = issues.length - errors;
  const title =
    issues.length === 0
      ? "No problems"
      : [errors ? plural(errors, "error") : null, warnings ? plural(warnings, "warning") : null].filter(Boolean).join(", ");
  return (
    <section className={styles.issues} data-testid="flow-issues" aria-labelledby="flow-issues-title">
      <h2 className={styles.paneTitle} id="flow-issues-title">
        <span aria-live="polite">{title}</span>
      </h2>
      {issues.length === 0 ? (
        <p className="muted">The validator finds nothing to fix: this draft can be published.</p>
      ) : (
        <>
          {errors ? <p className="muted">Errors block publishing; warnings do not. Click a problem to go to it.</p> : null}
          <FlowIssueList issues={issues} testId="flow-issue-list" onSelect={(issue) => onSelect(issue as FlowIssue)} />
        </>
      )}
    </section>
  );
}

export const IssuePanel = memo(IssuePanelView);
