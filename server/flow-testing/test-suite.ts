import type { Db } from "@/db/client";
import { flowTestRuns } from "@/db/schema";
import { withPrevious, type IntentMetricRow } from "./intent-metrics";
import { metricsOf, replayTurns, type ReplayFlow } from "./replay";
import type { StoredTestCase } from "./test-case-store";
import type { TurnDiff } from "./turn-diff";

export type CaseResult = { id: string; name: string; passed: boolean; first_difference: string | null; turns: TurnDiff[] };

export type SuiteOutcome = { passed: number; failed: number; cases: CaseResult[]; intents: IntentMetricRow[] };

/** Every case against the tested flow; intent metrics beside the previous version's on the same cases. */
export async function evaluateSuite(cases: StoredTestCase[], tested: ReplayFlow, previous: ReplayFlow | null): Promise<SuiteOutcome> {
  const replays = await Promise.all(cases.map((c) => replayTurns(tested, c.turns)));
  const before = previous ? await Promise.all(cases.map((c) => replayTurns(previous, c.turns))) : null;
  const results = cases.map((c, i): CaseResult => ({ id: c.id, name: c.name, passed: replays[i]!.passed, first_difference: replays[i]!.first_difference, turns: replays[i]!.turns }));
  const passed = results.filter((r) => r.passed).length;
  return { passed, failed: results.length - passed, cases: results, intents: withPrevious(metricsOf(replays), before && metricsOf(before)) };
}

export type RunRecord = {
  tenantId: string;
  flowId: string;
  version: number | null;
  draftRevision: number | null;
  trigger: "publish" | "manual" | "cli";
  actorUserId: string | null;
  outcome: SuiteOutcome;
};

export async function recordRun(db: Db, run: RunRecord): Promise<string> {
  const { outcome } = run;
  const [row] = await db
    .insert(flowTestRuns)
    .values({
      tenantId: run.tenantId,
      flowId: run.flowId,
      version: run.version,
      draftRevision: run.draftRevision,
      passed: outcome.passed,
      failed: outcome.failed,
      results: { cases: outcome.cases, intents: outcome.intents },
      trigger: run.trigger,
      createdBy: run.actorUserId,
    })
    .returning({ id: flowTestRuns.id });
  return row!.id;
}
