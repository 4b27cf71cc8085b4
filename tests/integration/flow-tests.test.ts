import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { flowTestCases, flowTestRuns, flowVersions } from "@/db/schema";
import type { LlmGenerator } from "@/server/flows/ports";
import { processMessage } from "@/server/pipeline/process-message";
import { helpDesk } from "../helpers/help-desk-flow";
import { useWorkspaces } from "../helpers/flow-workspaces";

const w = useWorkspaces();
const MODEL_ANSWER = "Your invoice total includes tax.";
/** Counts its calls: a replay must never reach it. */
const model: LlmGenerator & { calls: number } = {
  calls: 0,
  async generate() {
    model.calls++;
    return { text: MODEL_ANSWER, model: "openai:gpt-4o-mini" };
  },
};

/** A workspace whose published help desk has had one three-turn conversation with a model-answered turn, saved as a test case. */
async function savedConversation(company: string) {
  const ws = await w.workspace(company, `owner@${company.toLowerCase().replace(/\W/g, "")}.test`);
  const flow = await ws.asOwner.flows.create({ name: "Help desk", definition: helpDesk("Parcels ship within 2 days.") });
  await ws.asOwner.flows.publish({ flowId: flow.id });
  const deps = { db: w.db, llmFor: async () => model };
  const say = (text: string, conversationId?: string) => processMessage(deps, ws.tenantId, { user_id: "visitor-1", channel: "web", content: { type: "text", text }, ...(conversationId && { conversation_id: conversationId }) });
  const first = await say("I have a question about my invoice");
  expect(first.response.text).toBe(MODEL_ANSWER);
  await say("when will my parcel ship", first.conversation_id);
  await say("zzz qwerty", first.conversation_id);
  const saved = await ws.asOwner.flowTests.save({ conversationId: first.conversation_id, name: "Invoice then parcel" });
  return { ...ws, flowId: flow.id, conversationId: first.conversation_id, saved };
}

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("saved conversations as a flow's test cases", () => {
  it("a conversation saved as a test case passes against the same draft, replaying the recorded model answer without calling the model", async () => {
    const ws = await savedConversation("Passing Co");
    expect(ws.saved).toMatchObject({ name: "Invoice then parcel", flowId: ws.flowId, turns: 3, flowVersion: 1 });
    const [stored] = await w.db.select().from(flowTestCases).where(eq(flowTestCases.id, ws.saved.id));
    expect(stored!.turns).toMatchObject([
      { input: { type: "text", text: "I have a question about my invoice" }, expected: { replies: [MODEL_ANSWER], state: "billing_help", intent: "billing" }, model_answers: [MODEL_ANSWER] },
      { expected: { replies: ["Parcels ship within 2 days."], state: "shipping", intent: "shipping" }, model_answers: [] },
      { expected: { replies: ["Sorry, is this about billing or shipping?"], state: "unknown", intent: null }, model_answers: [] },
    ]);
    expect(await ws.asOwner.flowTests.list({ flowId: ws.flowId })).toMatchObject([{ name: "Invoice then parcel", turns: 3, createdBy: "owner@passingco.test" }]);

    const calls = model.calls;
    const report = await ws.asOwner.flowTests.run({ flowId: ws.flowId });
    expect(model.calls).toBe(calls);
    expect(report).toMatchObject({ flow_id: ws.flowId, version: "draft", passed: 1, failed: 0, cases: [{ name: "Invoice then parcel", passed: true, first_difference: null }] });
    expect(report.intents.map((m) => [m.intent, m.f1, m.previous_f1])).toEqual([
      ["billing", 1, 1],
      ["shipping", 1, 1],
    ]);
    const [run] = await w.db.select().from(flowTestRuns).where(eq(flowTestRuns.id, report.run_id));
    expect(run).toMatchObject({ tenantId: ws.tenantId, version: null, draftRevision: 0, passed: 1, failed: 0, trigger: "manual" });

    // The saved name is the case's: a second one of the same name is refused in words, for the form.
    const again = await trpcError(ws.asOwner.flowTests.save({ conversationId: ws.conversationId, name: "Invoice then parcel" }));
    expect(again.code).toBe("CONFLICT");
    expect(again.message).toBe("This flow already has a test case named “Invoice then parcel”.");
  });

  it("a draft that changes a reply fails the case with that turn's diff, and publishing it is refused until confirmed", async () => {
    const ws = await savedConversation("Failing Co");
    await ws.asOwner.flows.saveDraft({ flowId: ws.flowId, definition: helpDesk("Parcels ship tomorrow."), canvas: {}, baseRevision: 0 });

    const report = await ws.asOwner.flowTests.run({ flowId: ws.flowId, target: "draft" });
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    const [failed] = report.cases;
    expect(failed!.first_difference).toBe("Turn 2: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”");
    expect(failed!.turns.map((t) => [t.turn, t.replies.changed, t.state.changed, t.intent.changed, t.slots.changed])).toEqual([
      [1, false, false, false, false],
      [2, true, false, false, false],
      [3, false, false, false, false],
    ]);
    // The published version still behaves as the conversation did.
    expect(await ws.asOwner.flowTests.run({ flowId: ws.flowId, target: "published" })).toMatchObject({ version: 1, passed: 1, failed: 0 });
    const replayed = await ws.asOwner.flowTests.replay({ conversationId: ws.conversationId, target: "draft" });
    expect(replayed.turns[1]!.replies).toEqual({ expected: ["Parcels ship within 2 days."], actual: ["Parcels ship tomorrow."], changed: true });

    const refused = await trpcError(ws.asOwner.flows.publish({ flowId: ws.flowId }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toBe("1 of 1 test case failed against this draft, so it was not published. Check the differences, then fix the flow or publish anyway.");
    expect((refused.cause as { details?: unknown }).details).toMatchObject({ reason: "test_cases_failed", failed: 1, cases: [{ name: "Invoice then parcel", passed: false, first_difference: failed!.first_difference }] });
    const versions = () => w.db.select({ version: flowVersions.version }).from(flowVersions).where(eq(flowVersions.flowId, ws.flowId));
    expect(await versions()).toEqual([{ version: 1 }]);

    const published = await ws.asOwner.flows.publish({ flowId: ws.flowId, confirmFailures: true });
    expect(published).toMatchObject({ version: 2, tests: { passed: 0, failed: 1 } });
    expect((await versions()).map((v) => v.version).sort()).toEqual([1, 2]);
    const publishRuns = await w.db.select({ failed: flowTestRuns.failed }).from(flowTestRuns).where(and(eq(flowTestRuns.flowId, ws.flowId), eq(flowTestRuns.trigger, "publish")));
    expect(publishRuns).toEqual([{ failed: 1 }, { failed: 1 }]);
  });

  it("a member may read the cases but not save, run or delete them; another workspace can reach none of them", async () => {
    const ws = await savedConversation("Walled Co");
    const member = await w.memberOf(ws.tenantId, "member@walledco.test", "member");
    expect(await member.flowTests.list({ flowId: ws.flowId })).toHaveLength(1);
    expect((await trpcError(member.flowTests.save({ conversationId: ws.conversationId, name: "mine" }))).code).toBe("FORBIDDEN");
    expect((await trpcError(member.flowTests.delete({ testCaseId: ws.saved.id }))).code).toBe("FORBIDDEN");

    const other = await w.workspace("Other Co", "owner@otherco.test");
    for (const attempt of [
      () => other.asOwner.flowTests.replay({ conversationId: ws.conversationId }),
      () => other.asOwner.flowTests.save({ conversationId: ws.conversationId, name: "stolen" }),
      () => other.asOwner.flowTests.list({ flowId: ws.flowId }),
      () => other.asOwner.flowTests.run({ flowId: ws.flowId }),
      () => other.asOwner.flowTests.delete({ testCaseId: ws.saved.id }),
    ]) {
      expect((await trpcError(attempt())).code).toBe("NOT_FOUND");
    }
    expect(await w.db.select({ id: flowTestCases.id }).from(flowTestCases).where(eq(flowTestCases.flowId, ws.flowId))).toEqual([{ id: ws.saved.id }]);

    await ws.asOwner.flowTests.delete({ testCaseId: ws.saved.id });
    expect(await ws.asOwner.flowTests.list({ flowId: ws.flowId })).toEqual([]);
  });
});
