import { placeOf, flowIssueMessage } from "@/server/flows/flow-issue-wording";
import { stateSchema } from "@/server/flows/flow-schema";
import type { FlowIssue } from "@/server/flows/validate-flow";
import type { DraftState } from "@/lib/flow-builder/document";

/** The rendered field an issue belongs under: the field itself, else the longest rendered path it lies inside. */
export function closestField(field: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const candidate of fields) {
    const inside = field === candidate || field.startsWith(`${candidate}.`);
    if (inside && (best === undefined || candidate.length > best.length)) best = candidate;
  }
  return best;
}

/** Issues grouped under the field they name; those naming no rendered field (or none at all) go to the top. */
export function placeIssues(issues: readonly FlowIssue[], fields: readonly string[]): { at: Map<string, FlowIssue[]>; top: FlowIssue[] } {
  const at = new Map<string, FlowIssue[]>();
  const top: FlowIssue[] = [];
  for (const issue of issues) {
    const field = issue.field === undefined ? undefined : closestField(issue.field, fields);
    if (field === undefined) top.push(issue);
    else at.set(field, [...(at.get(field) ?? []), issue]);
  }
  return { at, top };
}

/** Under the field, the panel already says which state this is. */
export function inlineMessage(issue: FlowIssue, stateName: string): string {
  const prefix = `State "${stateName}": `;
  return issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
}

/**
 * What the state schema says about the state as it is being typed, worded (and placed) exactly as the
 * validator words a schema problem of this state, so the two can be merged without repeats.
 */
export function schemaIssues(name: string, state: DraftState): FlowIssue[] {
  const input = { states: { [name]: state } };
  const parsed = stateSchema.safeParse(state, { error: (raw) => flowIssueMessage({ ...raw, path: ["states", name, ...(raw.path ?? [])] }, input) });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const place = placeOf(["states", name, ...issue.path]);
    const field = issue.path.map(String).join(".");
    return {
      code: "invalid_field",
      severity: "error",
      state: name,
      ...(field && { field }),
      message: place ? `${place}: ${issue.message}` : issue.message,
    };
  });
}

/** The validator's issues, plus the schema's where the validator has not said the same yet (it may run a moment later). */
export function mergeIssues(validator: readonly FlowIssue[], local: readonly FlowIssue[]): FlowIssue[] {
  const said = new Set(validator.map((i) => `${i.field ?? ""}\n${i.message}`));
  return [...validator, ...local.filter((i) => !said.has(`${i.field ?? ""}\n${i.message}`))];
}
