import { describe, expect, it } from "vitest";
import { processMessage } from "@/server/pipeline/process-message";
import { helpDesk } from "../helpers/help-desk-flow";
import { useWorkspaces } from "../helpers/flow-workspaces";

const w = useWorkspaces();
const noModel = { generate: async () => ({ text: "unused", model: "none" }) };
const say = (tenantId: string, text: string) => processMessage({ db: w.db, llmFor: async () => noModel }, tenantId, { user_id: "visitor-1", channel: "web", content: { type: "text", text } });

describe("what the inbox offers to replay a conversation against", () => {
  it("names the flow, the version the conversation ran on, the flow's own published version and every version, for a member too", async () => {
    const ws = await w.workspace("Replay Co", "owner@replayco.test");
    const flow = await ws.asOwner.flows.create({ name: "Help desk", definition: helpDesk("Parcels ship within 2 days.") });
    await ws.asOwner.flows.publish({ flowId: flow.id });
    const { conversation_id } = await say(ws.tenantId, "when will my parcel ship");
    await ws.asOwner.flows.saveDraft({ flowId: flow.id, definition: helpDesk("Parcels ship tomorrow."), canvas: {}, baseRevision: 0 });
    await ws.asOwner.flows.publish({ flowId: flow.id, note: "Faster shipping" });
    // Another flow goes live for new conversations: the help desk's own published version is still its version 2.
    const other = await ws.asOwner.flows.create({ name: "Other", definition: helpDesk("Other reply.") });
    await ws.asOwner.flows.publish({ flowId: other.id });

    const member = await w.memberOf(ws.tenantId, "member@replayco.test", "member");
    const targets = await member.flowTests.replayTargets({ conversationId: conversation_id });
    expect(targets).toEqual({
      flow_id: flow.id,
      flow_name: "Help desk",
      ran_on_version: 1,
      published_version: 2,
      versions: [
        { version: 2, note: "Faster shipping", created_at: expect.any(Date) },
        { version: 1, note: null, created_at: expect.any(Date) },
      ],
    });
    // Read-only, so a member replays too: against the version it ran on it matches, against the published one the reply changed.
    expect(await member.flowTests.replay({ conversationId: conversation_id, target: 1 })).toMatchObject({ version: 1, passed: true });
    const replayed = await member.flowTests.replay({ conversationId: conversation_id, target: "published" });
    expect(replayed).toMatchObject({ version: 2, passed: false, first_difference: "Turn 1: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”" });
  });

  it("offers nothing for a conversation that ran on no published flow", async () => {
    const ws = await w.workspace("Starter Co", "owner@starterco.test");
    const { conversation_id } = await say(ws.tenantId, "hello");
    expect(await ws.asOwner.flowTests.replayTargets({ conversationId: conversation_id })).toBeNull();
  });
});
