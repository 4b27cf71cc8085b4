import { useId } from "react";
import type { ReplayTargets } from "@/server/flow-testing/replay-targets";
import type { FlowTarget } from "@/server/flow-testing/test-case-schema";
import styles from "./replay.module.css";
import { ReplayResult, type ReplayReport } from "./replay-result";

/** The last replay of this page: under way, its diff, or why it did not run. */
export type ReplayState = { kind: "running" } | { kind: "done"; report: ReplayReport } | { kind: "failed"; message: string } | null;

type Props = {
  /** Null when the conversation ran on no flow version. */
  targets: ReplayTargets | null;
  target: FlowTarget;
  state: ReplayState;
  onTarget(target: FlowTarget): void;
  onReplay(): void;
};

/** The published version when there is one: it is what new conversations get. */
export const defaultTarget = (targets: ReplayTargets | null): FlowTarget => (targets?.published_version != null ? "published" : "draft");

/** A select's value back to a target: "draft", "published" or a version number. */
const parseTarget = (value: string): FlowTarget => (value === "draft" || value === "published" ? value : Number(value));

function versionLabel(version: number, targets: ReplayTargets): string {
  const tags = [version === targets.published_version && "published", version === targets.ran_on_version && "this conversation ran on it"].filter(Boolean);
  return `Version ${version}${tags.length ? ` (${tags.join(", ")})` : ""}`;
}

/** Replays the conversation against a chosen definition of its flow and shows the per-turn diff. Read-only, so every role sees it. */
export function ReplayPanelView({ targets, target, state, onTarget, onReplay }: Props) {
  const id = useId();
  if (!targets) {
    return (
      <section className="card" aria-label="Replay" data-testid="replay-panel">
        <p className="muted" data-testid="replay-unavailable">
          This conversation ran on no published flow, so there is nothing to replay it against.
        </p>
      </section>
    );
  }
  const running = state?.kind === "running";
  return (
    <section className={`card ${styles.panel}`} aria-label="Replay" data-testid="replay-panel">
      <h2>Replay</h2>
      <p className="muted">{`Runs this conversation's messages again through a version of “${targets.flow_name}”, with the model answers recorded then, and compares every turn with what the bot did. Nothing is saved or sent.`}</p>
      <div className={`row ${styles.picker}`}>
        <label htmlFor={`${id}-target`}>Replay against</label>
        <select id={`${id}-target`} data-testid="replay-target" value={String(target)} onChange={(e) => onTarget(parseTarget(e.target.value))}>
          {targets.published_version !== null ? <option value="published">{`Published version (version ${targets.published_version})`}</option> : null}
          <option value="draft">Draft</option>
          {targets.versions.map((v) => (
            <option key={v.version} value={String(v.version)}>
              {versionLabel(v.version, targets)}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" data-testid="replay-conversation" disabled={running} onClick={onReplay}>
          {running ? "Replaying…" : "Replay"}
        </button>
      </div>
      {state?.kind === "failed" ? (
        <p className="alert" role="alert" data-testid="replay-error">
          {state.message}
        </p>
      ) : null}
      {state?.kind === "done" ? <ReplayResult report={state.report} /> : null}
    </section>
  );
}
