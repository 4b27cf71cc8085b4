import type { TurnDiff } from "@/server/flow-testing/turn-diff";
import { turnPassed } from "@/server/flow-testing/turn-diff";
import styles from "./replay.module.css";

const none = "none";
const slotsText = (slots: Record<string, unknown>) =>
  Object.keys(slots).length === 0 ? none : Object.entries(slots).map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`).join("\n");

/** The compared fields, each with its label and how a value reads on screen. */
const FIELDS = [
  { key: "replies", label: "Reply", show: (v: string[]) => (v.length === 0 ? "no reply" : v.join("\n")) },
  { key: "state", label: "State", show: (v: string) => v || none },
  { key: "intent", label: "Intent", show: (v: string | null) => v ?? none },
  { key: "slots", label: "Slots", show: slotsText },
] as const;

/** One replayed turn: its input, then each field as it was and as it is now, the changed ones marked in words. */
export function ReplayTurn({ diff }: { diff: TurnDiff }) {
  const passed = turnPassed(diff);
  return (
    <li className={styles.turn} data-testid="replay-turn" data-passed={passed}>
      <div className="row">
        <strong>{`Turn ${diff.turn}`}</strong>
        <span>{`“${diff.input}”`}</span>
        <span className={passed ? "muted" : styles.changed}>{passed ? "Matches" : "Differs"}</span>
      </div>
      <div className="scroll-x">
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Expected</th>
              <th scope="col">Actual</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map(({ key, label, show }) => {
              const field = diff[key];
              const format = show as (value: unknown) => string;
              return (
                <tr key={key} data-field={key} data-changed={field.changed}>
                  <th scope="row">{label}</th>
                  <td>{format(field.expected)}</td>
                  <td>{format(field.actual)}</td>
                  <td>{field.changed ? <span className={styles.changed}>{`${label} changed`}</span> : <span className="muted">Same</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {diff.notes.length > 0 ? <p className="muted">{`Note: ${diff.notes.join("; ")}`}</p> : null}
    </li>
  );
}
