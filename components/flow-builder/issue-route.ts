import type { FlowIssue } from "@/server/flows/validate-flow";

export type PanelTab = "state" | "intents" | "try" | "versions" | "tests" | "json";

/** Where a click on an issue takes the author: the field to fix, or the closest view of it. */
export type IssueTarget = { tab: "state"; state: string; field: string | null } | { tab: "intents" } | { tab: "json" };

export function issueTarget(issue: Pick<FlowIssue, "state" | "field">, hasState: (name: string) => boolean): IssueTarget {
  if (issue.state !== undefined && hasState(issue.state)) return { tab: "state", state: issue.state, field: issue.field ?? null };
  const root = issue.field?.split(".")[0];
  // Intents and entity lists are both edited in the intents panel.
  if (root === "intents" || root === "entities") return { tab: "intents" };
  return { tab: "json" };
}

/** Errors and warnings per state, counted in one pass (the canvas badges and the state panel read them). */
export function issuesByState(issues: readonly FlowIssue[]): Map<string, FlowIssue[]> {
  const byState = new Map<string, FlowIssue[]>();
  for (const issue of issues) {
    if (issue.state === undefined) continue;
    const list = byState.get(issue.state);
    if (list) list.push(issue);
    else byState.set(issue.state, [issue]);
  }
  return byState;
}
