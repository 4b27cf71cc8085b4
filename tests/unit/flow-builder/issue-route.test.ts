import { describe, expect, it } from "vitest";
import { issuesByState, issueTarget } from "@/components/flow-builder/issue-route";
import { validateFlow, type FlowIssue } from "@/server/flows/validate-flow";
import { demoDoc } from "./builder-fixtures";

function issuesOf(definition: unknown): FlowIssue[] {
  const check = validateFlow(definition);
  return check.ok ? check.warnings : check.issues;
}

describe("where a click on an issue goes", () => {
  it("selects the state and the field the validator names, for every issue of a broken flow", () => {
    // Without the hours state, the router's transition to it dangles.
    const { definition } = demoDoc();
    const { hours: _hours, ...states } = definition.states;
    const withDangling = { ...definition, states };
    const issues = issuesOf(withDangling);
    const dangling = issues.find((i) => i.code === "unknown_target")!;
    expect(dangling.message).toContain('"hours"');
    expect(issueTarget(dangling, (name) => name in withDangling.states)).toEqual({ tab: "state", state: "router", field: "transitions.1.target_state" });
  });

  it("opens the intents panel for an intent's issue and the JSON for the flow's own fields", () => {
    const { definition } = demoDoc();
    const unused = issuesOf({ ...definition, intents: { ...definition.intents, refunds: { examples: ["money back"] } } }).find((i) => i.code === "unused_intent")!;
    expect(unused.field).toBe("intents.refunds");
    expect(issueTarget(unused, (name) => name in definition.states)).toEqual({ tab: "intents" });

    const noStart = issuesOf({ ...definition, initial_state: "nowhere" }).find((i) => i.code === "unknown_initial_state")!;
    expect(issueTarget(noStart, (name) => name in definition.states)).toEqual({ tab: "json" });
  });

  it("falls back to the JSON when the state named no longer exists", () => {
    expect(issueTarget({ state: "gone", field: "config.end" }, () => false)).toEqual({ tab: "json" });
  });

  it("groups issues by state for the badges and panels, leaving out the flow's own", () => {
    const { definition } = demoDoc();
    const issues = issuesOf({ ...definition, initial_state: "nowhere", states: { ...definition.states, hours: { type: "response", config: { response_templates: { default: "9-5" } }, transitions: [] } } });
    const byState = issuesByState(issues);
    expect([...byState.keys()]).not.toContain(undefined);
    expect(byState.get("hours")).toBeUndefined();
    expect(issues.filter((i) => i.state === undefined).length).toBeGreaterThan(0);
    for (const [state, list] of byState) expect(list.every((i) => i.state === state)).toBe(true);
    expect([...byState.values()].flat().length).toBe(issues.filter((i) => i.state !== undefined).length);
  });
});
