/** One problem of a flow as the validator reports it (server/flows/validate-flow.ts). */
export type FlowIssueView = { code: string; severity?: "error" | "warning"; state?: string; field?: string; message: string };

const isIssue = (value: unknown): value is FlowIssueView =>
  typeof value === "object" && value !== null && typeof (value as FlowIssueView).message === "string" && typeof (value as FlowIssueView).code === "string";

/** The problems a refused save, import or publish carries in its details; empty for any other error. */
export function issuesIn(error: unknown): FlowIssueView[] {
  const issues = (error as { data?: { details?: { issues?: unknown } | null } } | null)?.data?.details?.issues;
  return Array.isArray(issues) ? issues.filter(isIssue) : [];
}

/** Every problem, each with where it is, so a whole draft can be fixed in one pass. */
export function FlowIssueList({ issues, testId }: { issues: FlowIssueView[]; testId: string }) {
  if (issues.length === 0) return null;
  return (
    <ul className="error" data-testid={testId}>
      {issues.map((issue, n) => {
        // Messages already name the state in words; the field path is for finding the spot in the JSON.
        return (
          <li key={n} data-testid="flow-issue" data-severity={issue.severity ?? "error"}>
            {issue.severity === "warning" ? "Warning: " : null}
            {issue.message}
            {issue.field ? <code className="muted"> {issue.field}</code> : null}
          </li>
        );
      })}
    </ul>
  );
}
