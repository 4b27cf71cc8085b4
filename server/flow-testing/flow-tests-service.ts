import type { Db } from "@/db/client";
import { captureConversation } from "./capture-conversation";
import { previousFlow, targetFlow } from "./flow-targets";
import { replayTurns, type ReplayResult } from "./replay";
import type { FlowTarget } from "./test-case-schema";
import { testCasesOf } from "./test-case-store";
import { evaluateSuite, recordRun, type RunRecord, type SuiteOutcome } from "./test-suite";

/** What a run reports (the CLI prints it as JSON): `version` is the tested version's number, or "draft". */
export type SuiteReport = SuiteOutcome & { flow_id: string; version: number | "draft"; run_id: string };

/** Runs the flow's test cases against a target and stores the run. */
export async function runFlowTests(db: Db, tenantId: string, actorUserId: string | null, input: { flowId: string; target: FlowTarget; trigger: RunRecord["trigger"] }): Promise<SuiteReport> {
  const tested = await targetFlow(db, tenantId, input.flowId, input.target);
  const [cases, previous] = await Promise.all([testCasesOf(db, tenantId, input.flowId), previousFlow(db, tenantId, input.flowId, tested)]);
  const outcome = await evaluateSuite(cases, tested, previous);
  const runId = await recordRun(db, { tenantId, flowId: input.flowId, version: tested.version, draftRevision: tested.draftRevision, trigger: input.trigger, actorUserId, outcome });
  return { flow_id: input.flowId, version: tested.version ?? "draft", run_id: runId, ...outcome };
}

/** Replays a stored conversation against a definition of the flow it ran on, without saving anything. */
export async function replayConversation(db: Db, tenantId: string, input: { conversationId: string; target: FlowTarget }): Promise<ReplayResult & { flow_id: string; version: number | "draft" }> {
  const captured = await captureConversation(db, tenantId, input.conversationId);
  const tested = await targetFlow(db, tenantId, captured.flowId, input.target);
  return { flow_id: captured.flowId, version: tested.version ?? "draft", ...(await replayTurns(tested, captured.turns)) };
}
