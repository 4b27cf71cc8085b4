import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, flowVersions } from "@/db/schema";
import { publishFlow } from "@/server/flow-store/flow-service";
import { processMessage } from "@/server/pipeline/process-message";
import { useWorkspaces } from "../helpers/flow-workspaces";

const flows = useWorkspaces();
const { workspace, memberOf } = flows;

const flowAnswering = (answer: string) => ({
  name: "support",
  version: "1.0",
  initial_state: "answer",
  states: { answer: { type: "response", config: { response_templates: { default: answer } }, transitions: [{ condition: "any_input", target_state: "answer" }] } },
});
const noCanvas = { positions: {}, samples: {} };

/** What a visitor on WhatsApp is told; a new number starts a new conversation, the same number continues its own. */
async function visitorHears(tenantId: string, phone: string, text: string) {
  const result = await processMessage({ db: flows.db }, tenantId, { user_id: `whatsapp:${phone}`, channel: "whatsapp", content: { type: "text", text } });
  return result.response.messages.map((m) => m.text);
}

describe("flow versions", () => {
  it("keeps every version with its note, publisher and time, newest first, and numbers concurrent publishes apart", async () => {
    const { tenantId, ownerId, asOwner } = await workspace("Versions Co", "vera@versions.test");
    const flow = await asOwner.flows.create({ name: "support", definition: flowAnswering("Hello") });

    const first = await asOwner.flows.publish({ flowId: flow.id, note: "  First release, reviewed by Sam  " });
    expect(first).toMatchObject({ version: 1, note: "First release, reviewed by Sam", restoredFrom: null });
    expect((await asOwner.flows.publish({ flowId: flow.id, note: "   " })).note).toBeNull();
    for (let i = 3; i <= 9; i++) await asOwner.flows.publish({ flowId: flow.id, note: `release ${i}` });
    // Publishes racing on one flow wait for each other's row lock, so none reuses a number (called in-process: through
    // tRPC the middlewares' own queries stagger them too much to race).
    const raced = await Promise.all([10, 11, 12].map((i) => publishFlow(flows.db, tenantId, ownerId, flow.id, `release ${i}`)));
    expect(raced.map((v) => v.version).sort((a, b) => a - b)).toEqual([10, 11, 12]);

    const versions = await asOwner.flows.versions({ flowId: flow.id });
    expect(versions.map((v) => v.version)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(versions.map((v) => v.live)).toEqual([true, ...Array(11).fill(false)]);
    expect(versions.at(-1)).toEqual({ version: 1, note: "First release, reviewed by Sam", createdAt: expect.any(Date), createdBy: "vera@versions.test", restoredFrom: null, live: false });
    expect(versions.at(-2)!.note).toBeNull();
    expect(versions.at(-3)!.note).toBe("release 3");

    await expect(asOwner.flows.publish({ flowId: flow.id, note: "x".repeat(501) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await asOwner.flows.versions({ flowId: flow.id })).toHaveLength(12);
    const one = await asOwner.flows.version({ flowId: flow.id, version: 1 });
    expect(one).toMatchObject({ version: 1, note: "First release, reviewed by Sam", createdBy: "vera@versions.test", restoredFrom: null });
    expect(one.definition).toMatchObject({ initial_state: "answer", states: { answer: { config: { response_templates: { default: "Hello" } } } } });
    await expect(asOwner.flows.version({ flowId: flow.id, version: 13 })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Version 13 of this flow does not exist." });
  });

  it("rolls back by publishing an old version's definition as a new version and making it the draft; new conversations get it", async () => {
    const { tenantId, ownerId, asOwner } = await workspace("Rollback Co", "rita@rollback.test");
    const flow = await asOwner.flows.create({ name: "support", definition: flowAnswering("Answer from version one.") });
    await asOwner.flows.saveDraft({ flowId: flow.id, definition: flowAnswering("Answer from version one."), canvas: { positions: { answer: { x: 10, y: 20 } }, samples: {} }, baseRevision: 0 });
    await asOwner.flows.publish({ flowId: flow.id });
    await asOwner.flows.saveDraft({ flowId: flow.id, definition: flowAnswering("Answer from version two."), canvas: { positions: { answer: { x: 10, y: 20 } }, samples: {} }, baseRevision: 1 });
    await asOwner.flows.publish({ flowId: flow.id, note: "New wording" });
    expect(await visitorHears(tenantId, "+15550001", "hi")).toEqual(["Answer from version two."]);

    await expect(asOwner.flows.rollback({ flowId: flow.id, version: 7 })).rejects.toMatchObject({ code: "NOT_FOUND", message: "Version 7 of this flow does not exist." });
    const restored = await asOwner.flows.rollback({ flowId: flow.id, version: 1, note: "Back to the old wording" });
    expect(restored).toMatchObject({ version: 3, restoredFrom: 1, note: "Back to the old wording", draftRevision: 3 });

    const v1 = await asOwner.flows.version({ flowId: flow.id, version: 1 });
    const v3 = await asOwner.flows.version({ flowId: flow.id, version: 3 });
    expect(v3.definition).toEqual(v1.definition);
    const editor = await asOwner.flows.get({ flowId: flow.id });
    expect(editor).toMatchObject({ draft: v1.definition, draftRevision: 3, liveVersion: 3, publishedVersion: 3, updatedBy: "rita@rollback.test", valid: true });
    expect(editor.canvas.positions).toEqual({ answer: { x: 10, y: 20 } });
    expect((await asOwner.flows.versions({ flowId: flow.id })).map((v) => [v.version, v.restoredFrom, v.live])).toEqual([
      [3, 1, true],
      [2, null, false],
      [1, null, false],
    ]);

    // A new conversation gets version one's answer; the one already running stays on the version it started with.
    expect(await visitorHears(tenantId, "+15550002", "hi")).toEqual(["Answer from version one."]);
    expect(await visitorHears(tenantId, "+15550001", "still there?")).toEqual(["Answer from version two."]);

    const audit = await flows.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "flow.rolled_back")));
    expect(audit).toEqual([expect.objectContaining({ actorUserId: ownerId, targetType: "flow", targetId: flow.id, details: { from: 1, version: 3 } })]);
  });

  it("refuses to roll back to a version that no longer passes the checks publishing makes, and changes nothing", async () => {
    const { tenantId, asOwner } = await workspace("Revalidate Co", "rex@revalidate.test");
    const flow = await asOwner.flows.create({ name: "support", definition: flowAnswering("Current answer") });
    await asOwner.flows.publish({ flowId: flow.id });
    // As published before a check was added: an integration calling a private address.
    const old = {
      ...flowAnswering("Old answer"),
      initial_state: "lookup",
      states: {
        ...flowAnswering("Old answer").states,
        lookup: { type: "integration", config: { integration_id: "crm", endpoint: "http://10.0.0.5/orders" }, transitions: [{ condition: "any_input", target_state: "answer" }] },
      },
    };
    await flows.db.insert(flowVersions).values({ tenantId, flowId: flow.id, version: 2, definition: old });

    await expect(asOwner.flows.rollback({ flowId: flow.id, version: 2 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Version 2 no longer passes the checks publishing makes, so it cannot be published again.",
      cause: { details: { issues: [expect.objectContaining({ code: "blocked_endpoint", state: "lookup" })] } },
    });
    expect(await asOwner.flows.get({ flowId: flow.id })).toMatchObject({ draft: flowAnswering("Current answer"), draftRevision: 0, liveVersion: 1 });
    expect((await asOwner.flows.versions({ flowId: flow.id })).map((v) => v.version)).toEqual([2, 1]);
  });

  it("refuses roll back to members, who may still read the versions", async () => {
    const { tenantId, asOwner } = await workspace("Member Versions Co", "owner@member-versions.test");
    const asMember = await memberOf(tenantId, "mo@member-versions.test", "member");
    const flow = await asOwner.flows.create({ name: "support", definition: flowAnswering("Hello") });
    await asOwner.flows.publish({ flowId: flow.id });
    await asOwner.flows.publish({ flowId: flow.id });

    await expect(asMember.flows.rollback({ flowId: flow.id, version: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asMember.flows.publish({ flowId: flow.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asMember.flows.versions({ flowId: flow.id })).map((v) => v.version)).toEqual([2, 1]);
    expect((await asMember.flows.version({ flowId: flow.id, version: 1 })).version).toBe(1);
  });
});
