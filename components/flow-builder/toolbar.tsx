"use client";
import { useState } from "react";
import { statusText, type SaveStatus } from "./autosave-machine";
import styles from "./flow-builder.module.css";

type Props = {
  readOnly: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo(): void;
  onRedo(): void;
  onAutoLayout(): void;
  onFitView(): void;
  save: SaveStatus;
  onLoadTheirs(): void;
  onOverwriteMine(): void;
  onRetry(): void;
  errors: number;
  onPublish(): void;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function Toolbar(props: Props) {
  const { readOnly, errors } = props;
  const publishBlocked = errors > 0 ? `Fix the ${plural(errors, "error")} listed under the canvas before publishing.` : undefined;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Flow editor">
      {readOnly ? null : (
        <>
          <button type="button" className="secondary" data-testid="undo" disabled={!props.canUndo} onClick={props.onUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" className="secondary" data-testid="redo" disabled={!props.canRedo} onClick={props.onRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <button type="button" className="secondary" data-testid="auto-layout" onClick={props.onAutoLayout} title="Arrange every state from the initial one down">
            Auto layout
          </button>
        </>
      )}
      <button type="button" className="secondary" data-testid="fit-view" onClick={props.onFitView} title="Show the whole flow">
        Fit view
      </button>
      <span className={styles.spacer} />
      {readOnly ? <span className="muted">Read only: owners and admins edit and publish flows.</span> : <SaveIndicator {...props} />}
      {readOnly ? null : (
        <button type="button" data-testid="publish-flow" disabled={errors > 0} title={publishBlocked} aria-describedby={publishBlocked ? "publish-blocked" : undefined} onClick={props.onPublish}>
          Publish
        </button>
      )}
      {publishBlocked && !readOnly ? (
        <span id="publish-blocked" className={styles.visuallyHidden}>
          {publishBlocked}
        </span>
      ) : null}
    </div>
  );
}

/** "Saved", "Saving…", or what went wrong with the way out: someone else's save never gets overwritten without asking. */
function SaveIndicator({ save, onLoadTheirs, onOverwriteMine, onRetry }: Props) {
  const [confirming, setConfirming] = useState(false);
  const trouble = save.kind === "conflict" || save.kind === "failed";
  return (
    <span className={styles.saveStatus}>
      <span data-testid="save-status" role="status" className={trouble ? "error" : "muted"}>
        {statusText(save)}
      </span>
      {save.kind === "failed" ? (
        <button type="button" className="secondary" data-testid="retry-save" onClick={onRetry}>
          Try again
        </button>
      ) : null}
      {save.kind === "conflict" && !confirming ? (
        <>
          <button type="button" className="secondary" data-testid="load-theirs" onClick={() => setConfirming(true)}>
            Load their version
          </button>
          <button type="button" className="secondary" data-testid="overwrite-mine" onClick={onOverwriteMine}>
            Keep mine and overwrite
          </button>
        </>
      ) : null}
      {save.kind === "conflict" && confirming ? (
        <>
          <span>Discard your changes since the last save?</span>
          <button
            type="button"
            className="danger"
            data-testid="confirm-load-theirs"
            onClick={() => {
              setConfirming(false);
              onLoadTheirs();
            }}
          >
            Discard mine
          </button>
          <button type="button" className="secondary" data-testid="cancel-load-theirs" onClick={() => setConfirming(false)}>
            Keep editing
          </button>
        </>
      ) : null}
    </span>
  );
}
