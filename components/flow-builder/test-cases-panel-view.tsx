import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { ConfirmButton } from "@/components/confirm-button";
import { timeAgo } from "@/lib/time-ago";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import type { AppRouter } from "@/server/trpc/root";
import { TestResults } from "./test-results";
import styles from "./test-cases-panel.module.css";

export type TestCaseRow = inferRouterOutputs<AppRouter>["flowTests"]["list"][number];
/** The last "Run tests" of this panel: under way, its results, or why it did not run. */
export type RunState = { kind: "running" } | { kind: "done"; outcome: SuiteOutcome } | { kind: "failed"; message: string } | null;

type Props = {
  cases: TestCaseRow[];
  /** Owners and admins run and delete; members see the list only (the server refuses them both). */
  canManage: boolean;
  run: RunState;
  now: Date;
  onRun(): void;
  onDelete(testCaseId: string): Promise<void>;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The flow's saved test cases, the button that replays them against the draft, and the results of the last run. */
export function TestCasesView({ cases, canManage, run, now, onRun, onDelete }: Props) {
  const running = run?.kind === "running";
  return (
    <section data-testid="test-cases-panel" className={styles.panel} aria-label="Test cases">
      {cases.length === 0 ? (
        <p className="muted" data-testid="no-saved-test-cases">
          {canManage
            ? "No test cases yet. Save a conversation as a test case from its transcript in the Inbox; running them here replays each one against the draft and compares every turn."
            : "No test cases yet. Owners and admins add them by saving a conversation from its transcript in the Inbox."}{" "}
          <Link href="/dashboard/inbox">Open the Inbox</Link>
        </p>
      ) : (
        <ul className={styles.list}>
          {cases.map((c) => (
            <li key={c.id} data-testid="test-case-row" aria-label={c.name} className={styles.row}>
              <div className="row">
                <strong>{c.name}</strong>
                <span className="muted">{plural(c.turns, "turn")}</span>
                {c.sourceConversationId ? <Link href={`/dashboard/inbox/${c.sourceConversationId}`}>Source conversation</Link> : null}
              </div>
              <div className="row">
                <span className="muted" title={c.createdAt.toLocaleString()}>
                  {`Saved ${timeAgo(c.createdAt, now)} by ${c.createdBy ?? "a former member"}`}
                </span>
                {canManage ? (
                  <ConfirmButton
                    label="Delete"
                    question={`Delete the test case “${c.name}”? Publishing stops checking it.`}
                    confirmLabel="Delete test case"
                    testId="delete-test-case"
                    onConfirm={() => onDelete(c.id)}
                  />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {canManage && cases.length > 0 ? (
        <div className="row">
          <button type="button" data-testid="run-test-cases" disabled={running} onClick={onRun}>
            {running ? "Running…" : "Run tests"}
          </button>
          <span className="muted">Saves the draft, then replays every case against it.</span>
        </div>
      ) : null}
      <div aria-live="polite" aria-busy={running}>
        {run?.kind === "done" ? <TestResults outcome={run.outcome} /> : null}
        {run?.kind === "failed" ? (
          <p className="alert" role="alert" data-testid="test-run-error">
            {run.message}
          </p>
        ) : null}
      </div>
    </section>
  );
}
