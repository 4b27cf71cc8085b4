import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, flowVersions, memberships } from "@/db/schema";
import { useWorkspaces } from "../helpers/flow-workspaces";

const flows = useWorkspaces();
const { workspace } = flows;

const flowSaying = (text: string, extra: Record<string, unknown> = {}) => ({
  name: "support",
  version: "1.0",
  initial_state: "hello",
  states: { hello: { type: "response", config: { response_templates: { default: text } }, transitions: [{ condition: "any_input", target_state: "hello" }], ...extra } },
});

/** What the editor lists for a refused draft: the message and, per problem, where it is and what it says. */
async function refusal(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => null,
    (e: { code: string; message: string; cause?: { details?: { issues?: { state?: string; field?: string; message: string }[] } } }) => e,
  );
  expect(error, "the draft was accepted").not.toBeNull();
  expect(error!.code).toBe("BAD_REQUEST");
  return { message: error!.message, issues: error!.cause?.details?.issues ?? [] };
}
const where = (issues: { state?: string; field?: string }[]) => issues.map((i) => [i.state ?? "", i.field ?? ""].join(":"));

describe("flow drafts", () => {
  it("refuses what is not a flow, listing every missing or unknown field, and stores nothing", async () => {
    const { asOwner } = await workspace("Shape Co", "owner@shape.test");

    const empty = await refusal(asOwner.flows.create({ name: "empty", definition: {} }));
    expect(empty.message).toBe("This is not a flow definition yet, so nothing was saved. Fix these and try again:");
    expect(where(empty.issues)).toEqual(expect.arrayContaining([":name", ":version", ":initial_state", ":states"]));
    for (const issue of empty.issues) expect(issue.message).not.toBe("");

    // Guesses at the format: a node list, states as an array, a typo in a state and in a transition.
    const nodes = await refusal(asOwner.flows.create({ name: "nodes", definition: { name: "x", nodes: [{ id: "start", text: "Hi" }] } }));
    expect(where(nodes.issues)).toEqual(expect.arrayContaining([":version", ":initial_state", ":states", ":nodes"]));
    expect(nodes.issues.find((i) => i.field === "nodes")?.message).toBe('"nodes" is not a field of a flow');
    const array = await refusal(asOwner.flows.create({ name: "array", definition: { name: "x", version: "1", initial_state: "a", states: [] } }));
    expect(where(array.issues)).toEqual([":states"]);
    const typo = flowSaying("Hi", { transition: [] });
    typo.states.hello.transitions = [{ condition: "any_input", target_state: "hello", target: "hello" } as never];
    Object.assign(typo.states.hello.config, { quick_reply: ["Yes"] });
    const typos = await refusal(asOwner.flows.create({ name: "typos", definition: typo }));
    expect(typos.issues.map((i) => [where([i])[0], i.message])).toEqual([
      ["hello:transition", 'State "hello": "transition" is not a field of a state'],
      ["hello:config.quick_reply", 'State "hello": "quick_reply" is not a field of a response state\'s config'],
      ["hello:transitions.0.target", 'Transition 1 of state "hello": "target" is not a field of a transition'],
    ]);
    expect(await asOwner.flows.list()).toEqual([]);

    // Saving over a good draft with a broken one keeps the good one.
    const flow = await asOwner.flows.create({ name: "support", definition: flowSaying("Hello from the good draft") });
    const broken = await refusal(asOwner.flows.saveDraft({ flowId: flow.id, definition: { states: {} }, canvas: {}, baseRevision: 0 }));
    expect(where(broken.issues)).toEqual(expect.arrayContaining([":name", ":version", ":initial_state"]));
    expect((await asOwner.flows.get({ flowId: flow.id })).draft).toEqual(flowSaying("Hello from the good draft"));
  });

  it("saves a flow-shaped draft that cannot be published yet, with the problems that block publishing", async () => {
    const { asOwner } = await workspace("Draft Co", "owner@draft.test");
    const unfinished = flowSaying("Hi");
    unfinished.states.hello.transitions = [{ condition: "any_input", target_state: "ask_budget" }];
    const flow = await asOwner.flows.create({ name: "unfinished", definition: unfinished });

    const saved = await asOwner.flows.get({ flowId: flow.id });
    expect(saved.valid).toBe(false);
    expect(saved.issues).toEqual([expect.objectContaining({ code: "unknown_target", state: "hello", field: "transitions.0.target_state" })]);
    await expect(asOwner.flows.publish({ flowId: flow.id })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "This flow has errors and cannot be published." });
    expect((await asOwner.flows.list())[0]).toMatchObject({ name: "unfinished", publishedVersion: null, live: false });
  });

  it("says which flow and version new conversations get, and who published it", async () => {
    const { asOwner } = await workspace("Live Co", "ana@live.test");
    const first = await asOwner.flows.create({ name: "first", definition: flowSaying("First") });
    const second = await asOwner.flows.create({ name: "second", definition: flowSaying("Second") });
    expect((await asOwner.flows.list()).map((f) => f.live)).toEqual([false, false]);

    await asOwner.flows.publish({ flowId: first.id });
    await asOwner.flows.publish({ flowId: second.id });
    const live = async () => (await asOwner.flows.list()).map((f) => ({ name: f.name, version: f.publishedVersion, by: f.publishedBy, live: f.live }));
    expect(await live()).toEqual([
      { name: "second", version: 1, by: "ana@live.test", live: true },
      { name: "first", version: 1, by: "ana@live.test", live: false },
    ]);

    await asOwner.flows.saveDraft({ flowId: first.id, definition: flowSaying("First, again"), canvas: {}, baseRevision: 0 });
    await asOwner.flows.publish({ flowId: first.id });
    expect((await live()).find((f) => f.live)).toEqual({ name: "first", version: 2, by: "ana@live.test", live: true });
  });

  it("lets owners and admins delete any flow but the live one, recording who did it; members can only look", async () => {
    const { tenantId, ownerId, asOwner } = await workspace("Delete Co", "owner@delete.test");
    const other = await workspace("Member's own", "member@delete.test");
    await flows.db.insert(memberships).values({ tenantId, userId: other.ownerId, role: "member" });
    const asMember = flows.as(other.ownerId, tenantId);

    const old = await asOwner.flows.create({ name: "old", definition: flowSaying("Old") });
    await asOwner.flows.publish({ flowId: old.id });
    const current = await asOwner.flows.create({ name: "current", definition: flowSaying("Current") });
    await asOwner.flows.publish({ flowId: current.id });

    expect((await asMember.flows.list()).map((f) => f.name)).toEqual(["current", "old"]);
    await expect(asMember.flows.delete({ flowId: old.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asOwner.flows.delete({ flowId: current.id })).rejects.toMatchObject({
      code: "CONFLICT",
      message: '"current" answers new conversations, so it cannot be deleted. Publish another flow first.',
    });

    await asOwner.flows.delete({ flowId: old.id });
    expect((await asOwner.flows.list()).map((f) => [f.name, f.live])).toEqual([["current", true]]);
    expect(await flows.db.select().from(flowVersions).where(eq(flowVersions.flowId, old.id))).toEqual([]);
    const audit = await flows.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "flow.deleted")));
    expect(audit).toEqual([expect.objectContaining({ actorUserId: ownerId, targetType: "flow", targetId: old.id, details: { name: "old" } })]);
    await expect(asOwner.flows.delete({ flowId: old.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
