import { TRPCClientError } from "@trpc/client";
import { describeError } from "@/lib/trpc-client";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";

/** Why a publish did not happen; `tests` when the flow's test cases failed against the draft (it may then be published anyway). */
export type PublishProblem = { message: string; tests: SuiteOutcome | null };

/** The server's refusal read for the dialog: a failed test run comes as CONFLICT with the run's results (server/flow-testing/publish-gate.ts). */
export function publishProblem(error: unknown): PublishProblem {
  const { message } = describeError(error);
  const details = error instanceof TRPCClientError ? (error.data as { details?: (SuiteOutcome & { reason?: string }) | null } | undefined)?.details : null;
  return { message, tests: details?.reason === "test_cases_failed" ? details : null };
}
