import type { replayConversation } from "@/server/flow-testing/flow-tests-service";
import { turnPassed, type TurnDiff } from "@/server/flow-testing/turn-diff";
import styles from "./replay.module.css";
import { ReplayTurn } from "./replay-turn";

export type ReplayReport = Awaited<ReturnType<typeof replayConversation>>;

/** "All 3 turns match" or "2 of 3 turns differ". */
export function replaySummary(turns: TurnDiff[]): string {
  const differ = turns.filter((t) => !turnPassed(t)).length;
  if (differ === 0) return turns.length === 1 ? "1 turn matches" : `All ${turns.length} turns match`;
  return `${differ} of ${turns.length} turn${turns.length === 1 ? "" : "s"} ${differ === 1 ? "differs" : "differ"}`;
}

/** A replay's verdict, what was replayed against, the first difference in the test suite's own words, then every turn. */
export function ReplayResult({ report }: { report: ReplayReport }) {
  return (
    <div data-testid="replay-result">
      <p className={styles.summary} data-testid="replay-summary" data-passed={report.passed}>
        {replaySummary(report.turns)}
      </p>
      <p className="muted">
        {`Replayed against ${report.version === "draft" ? "the draft" : `version ${report.version}`}, with the model answers recorded in the conversation.`}
        {report.first_difference ? ` ${report.first_difference}` : null}
      </p>
      <ol className={styles.turns}>
        {report.turns.map((diff) => (
          <ReplayTurn key={diff.turn} diff={diff} />
        ))}
      </ol>
    </div>
  );
}
