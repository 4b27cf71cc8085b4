import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import styles from "./test-results.module.css";

const score = (value: number | null) => (value === null ? "–" : value.toFixed(2));

/** Each test case's verdict (a failure with its first differing turn) and the classifier's per-intent scores beside the previous version's. */
export function TestResults({ outcome }: { outcome: SuiteOutcome }) {
  if (outcome.cases.length === 0) return <p className="muted" data-testid="no-test-cases">This flow has no test cases yet. Save a conversation as one from the inbox to have publishing check it.</p>;
  return (
    <div className={styles.results}>
      <p data-testid="test-summary">{`${outcome.passed} of ${outcome.cases.length} test case${outcome.cases.length === 1 ? "" : "s"} passed against this draft.`}</p>
      <ul className={styles.cases}>
        {outcome.cases.map((c) => (
          <li key={c.id} data-testid="test-case-result" data-passed={c.passed}>
            <strong>{c.name}</strong>
            {`: ${c.passed ? "passed" : "failed"}`}
            {c.first_difference ? <div className={styles.diff}>{c.first_difference}</div> : null}
          </li>
        ))}
      </ul>
      {outcome.intents.length > 0 ? (
        <table data-testid="intent-metrics">
          <caption className="muted">Intent recognition on these test cases</caption>
          <thead>
            <tr>
              <th scope="col">Intent</th>
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
              <th scope="col">Previous F1</th>
            </tr>
          </thead>
          <tbody>
            {outcome.intents.map((m) => (
              <tr key={m.intent}>
                <th scope="row">{m.intent}</th>
                <td>{score(m.precision)}</td>
                <td>{score(m.recall)}</td>
                <td>{score(m.f1)}</td>
                <td>{score(m.previous_f1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
