import type { CSSProperties } from "react";

/** One problem of a flow as the validator reports it (server/flows/validate-flow.ts). */
export type FlowIssueView = { code: string; severity?: "error" | "warning"; state?: string; field?: string; message: string };

const isIssue = (value: unknown): value is FlowIssueView =>
  typeof value === "object" && value !== null && typeof (value as FlowIssueView).message === "string" && typeof (value as FlowIssueView).code === "string";

/** The problems a refused save, import or publish carries in its details; empty for any other error. */
export function issuesIn(error: unknown): FlowIssueView[] {
  const issues = (error as { data?: { details?: { issues?: unknown } | null } } | null)?.data?.details?.issues;
  return Array.isArray(issues) ? issues.filter(isIssue) : [];
}

// A button that reads as the list item it is, so a whole line is the click target.
const AS_TEXT: CSSProperties = { background: "none", border: 0, padding: 0, color: "inherit", font: "inherit", textAlign: "left", cursor: "pointer" };

function IssueText({ issue }: { issue: FlowIssueView }) {
  // Messages already name the state in words; the field path is for finding the spot in the JSON.
  return (
    <>
      {issue.severity === "warning" ? "Warning: " : null}
      {issue.message}
      {issue.field ? <code className="muted"> {issue.field}</code> : null}
    </>
  );
}

/** Every problem, each with where it is, so a whole draft can be fixed in one pass; `onSelect` makes each one a way to it. */
export function FlowIssueList({ issues, testId, onSelect }: { issues: FlowIssueView[]; testId: string; onSelect?: (issue: FlowIssueView) => void }) {
  if (issues.length === 0) return null;
  return (
    <ul className="error" data-testid={testId}>
      {issues.map((issue, n) => (
        <li key={n} data-testid="flow-issue" data-severity={issue.severity ?? "error"} data-state={issue.state}>
          {onSelect ? (
            <button type="button" style={AS_TEXT} onClick={() => onSelect(issue)} title={issue.state ? `Show state "${issue.state}"` : "Show where this is"}>
              <IssueText issue={issue} />
            </button>
          ) : (
            <IssueText issue={issue} />
          )}
        </li>
      ))}
    </ul>
  );
}
