import type { FieldChange, FlowDiff } from "@/server/flow-store/flow-diff";
import { isEmptyDiff } from "@/server/flow-store/flow-diff";
import { conditionLabel } from "@/lib/flow-builder/conditions";
import { transitionSchema } from "@/server/flows/flow-schema";
import styles from "./version-diff.module.css";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A transition as the canvas labels it: "intent: order_status → lookup · 10". */
function transitionText(t: Record<string, unknown>): string {
  const parsed = transitionSchema.safeParse(t);
  if (!parsed.success) return JSON.stringify(t);
  return `${conditionLabel(parsed.data)} → ${parsed.data.target_state} · ${parsed.data.priority}`;
}

function valueText(path: string, value: unknown): string {
  if (typeof value === "string") return `“${value}”`;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.length ? value.join(", ") : "(none)";
  if (isRecord(value) && /(^|\.)transitions\.\d+$/.test(path)) return transitionText(value);
  return JSON.stringify(value);
}

const LABELS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^config\.response_templates\.default$/, () => "Template"],
  [/^config\.response_templates\.(.+)$/, (m) => `Template variant “${m[1]}”`],
  [/^transitions\.(\d+)$/, (m) => `Transition ${Number(m[1]) + 1}`],
  [/^config\.intent_patterns$/, () => "Intents listened for"],
  [/^config\.confidence_threshold$/, () => "Confidence threshold"],
  [/^config\.required_slots$/, () => "Required slots"],
  [/^config\.optional_slots$/, () => "Optional slots"],
  [/^config\.prompts\.(.+)$/, (m) => `Prompt for ${m[1]}`],
  [/^config\.conditions\.(\d+)$/, (m) => `Condition ${Number(m[1]) + 1}`],
  [/^intents\.([^.]+)\.examples$/, (m) => `Examples of intent “${m[1]}”`],
  [/^intents\.([^.]+)$/, (m) => `Intent “${m[1]}”`],
  [/^entities\.lists\.(.+)$/, (m) => `Entity list “${m[1]}”`],
  [/^initial_state$/, () => "Initial state"],
];

function label(path: string): string {
  for (const [pattern, words] of LABELS) {
    const m = path.match(pattern);
    if (m) return words(m);
  }
  return path.replace(/^config\./, "").replaceAll(".", " › ").replaceAll("_", " ");
}

function Change({ change }: { change: FieldChange }) {
  const { path, kind, before, after, items } = change;
  return (
    <li className={styles[kind]} data-kind={kind}>
      <span className={styles.label}>{label(path)}</span>{" "}
      {kind === "added" ? <span>added: {valueText(path, after)}</span> : null}
      {kind === "removed" ? <span>removed: {valueText(path, before)}</span> : null}
      {kind === "changed" && items ? (
        <span>
          {items.added.map((w) => (
            <span key={`+${w}`} className={styles.addedWord}>+ {w} </span>
          ))}
          {items.removed.map((w) => (
            <span key={`-${w}`} className={styles.removedWord}>− {w} </span>
          ))}
          {items.added.length + items.removed.length === 0 ? "reordered" : null}
        </span>
      ) : kind === "changed" ? (
        <span>
          <span className={styles.before}>{valueText(path, before)}</span> → <span className={styles.after}>{valueText(path, after)}</span>
        </span>
      ) : null}
    </li>
  );
}

/** States added (green), removed (red) and changed field by field, then the flow-wide changes. All text, never HTML. */
export function VersionDiff({ diff, title }: { diff: FlowDiff | null; title: string }) {
  return (
    <section className={styles.diff} data-testid="version-diff" aria-label={title}>
      <h3 className={styles.title}>{title}</h3>
      {diff === null ? (
        <p className="muted">Loading…</p>
      ) : isEmptyDiff(diff) ? (
        <p className="muted">No differences</p>
      ) : (
        <ul className={styles.list}>
          {diff.added.map((s) => (
            <li key={`+${s.name}`} className={styles.added} data-kind="added">
              State <code>{s.name}</code> ({s.type}) added
            </li>
          ))}
          {diff.removed.map((s) => (
            <li key={`-${s.name}`} className={styles.removed} data-kind="removed">
              State <code>{s.name}</code> ({s.type}) removed
            </li>
          ))}
          {diff.changed.map((s) => (
            <li key={`~${s.name}`} data-kind="changed">
              State <code>{s.name}</code> ({s.type}) changed
              <ul className={styles.list}>
                {s.changes.map((c) => (
                  <Change key={c.path} change={c} />
                ))}
              </ul>
            </li>
          ))}
          {diff.flow.length ? (
            <li data-kind="changed">
              Flow-wide
              <ul className={styles.list}>
                {diff.flow.map((c) => (
                  <Change key={c.path} change={c} />
                ))}
              </ul>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
