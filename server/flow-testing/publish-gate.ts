import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import type { FlowDefinition } from "../flows/flow-schema";
import { previousFlow, replayFlow } from "./flow-targets";
import { testCasesOf } from "./test-case-store";
import { evaluateSuite, recordRun, type SuiteOutcome } from "./test-suite";

const NO_CASES: SuiteOutcome = { passed: 0, failed: 0, cases: [], intents: [] };

export type DraftTests = { outcome: SuiteOutcome; record(db: Db, actorUserId: string | null): Promise<string> };

/** The flow's test cases against the draft about to be published (inside the publish's transaction, under its row lock). */
export async function testDraft(tx: Db, tenantId: string, flowId: string, draft: FlowDefinition, draftRevision: number): Promise<DraftTests> {
  const cases = await testCasesOf(tx, tenantId, flowId);
  // Most flows have no test cases: their publish trains no NLU for them.
  const tested = cases.length > 0 ? { ...replayFlow(draft), version: null, draftRevision } : null;
  const outcome = tested ? await evaluateSuite(cases, tested, await previousFlow(tx, tenantId, flowId, tested)) : NO_CASES;
  return { outcome, record: (db, actorUserId) => recordRun(db, { tenantId, flowId, version: null, draftRevision, trigger: "publish", actorUserId, outcome }) };
}

/** The stable refusal the publish dialog and API callers read: CONFLICT with the run's results in details. */
export function failedTestsError(outcome: SuiteOutcome, runId: string): AppError {
  const total = outcome.passed + outcome.failed;
  const message = `${outcome.failed} of ${total} test case${total === 1 ? "" : "s"} failed against this draft, so it was not published. Check the differences, then fix the flow or publish anyway.`;
  return new AppError("CONFLICT", message, { reason: "test_cases_failed", run_id: runId, ...outcome });
}
