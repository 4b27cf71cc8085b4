"use client";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import { ModalDialog } from "./modal-dialog";
import type { PublishProblem } from "./publish-refusal";
import { TestResults } from "./test-results";

type Props = {
  open: boolean;
  /** Saves what is pending and runs the flow's test cases against the draft; resolves to the results or the reason they did not run. */
  onCheck(): Promise<SuiteOutcome | string>;
  /** Saves what is pending, publishes (despite failed test cases when confirmed); resolves to the problem to show, or null once published. */
  onPublish(note: string, confirmFailures: boolean): Promise<PublishProblem | null>;
  onClose(): void;
};

/** Publishing makes an immutable version; the note says why, for whoever reads the versions list later. */
export function PublishDialog({ open, onCheck, onPublish, onClose }: Props) {
  return (
    <ModalDialog open={open} testId="publish-dialog" labelledBy="publish-title" onClose={onClose}>
      <PublishForm onCheck={onCheck} onPublish={onPublish} onClose={onClose} />
    </ModalDialog>
  );
}

function PublishForm({ onCheck, onPublish, onClose }: Omit<Props, "open">) {
  const id = useId();
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tests, setTests] = useState<SuiteOutcome | "checking" | null>("checking");

  // Once per opening (the form mounts with the dialog), whatever the parent's callback identity.
  const check = useRef(onCheck);

  // The draft's test cases run as the dialog opens, so the admin sees what publishing would change before deciding.
  useEffect(() => {
    let current = true;
    void check.current().then((result) => {
      if (!current) return;
      if (typeof result === "string") {
        setTests(null);
        setError(result);
      } else setTests(result);
    });
    return () => {
      current = false;
    };
  }, []);

  async function publish(confirmFailures: boolean) {
    setPending(true);
    setError(null);
    const problem = await onPublish(note.trim(), confirmFailures);
    setPending(false);
    if (!problem) return;
    setError(problem.message);
    if (problem.tests) setTests(problem.tests);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void publish(false);
  }

  const failed = tests !== null && tests !== "checking" && tests.failed > 0;
  return (
    <form onSubmit={submit}>
      <h2 id="publish-title">Publish this draft</h2>
      <p className="muted">New conversations get the published version; conversations already running keep the one they started with.</p>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <input id={`${id}-note`} data-testid="publish-note" maxLength={500} value={note} placeholder="What changed, for the versions list" onChange={(e) => setNote(e.target.value)} />
      </div>
      <section aria-label="Test cases" aria-busy={tests === "checking"}>
        {tests === "checking" ? <p className="muted">Running this flow’s test cases against the draft…</p> : tests ? <TestResults outcome={tests} /> : null}
      </section>
      {error ? (
        <p className="alert" role="alert" data-testid="publish-error">
          {error}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" data-testid="confirm-publish" disabled={pending}>
          {pending ? "Publishing…" : "Publish"}
        </button>
        {failed ? (
          <button type="button" className="secondary" data-testid="publish-anyway" disabled={pending} onClick={() => void publish(true)}>
            Publish anyway
          </button>
        ) : null}
        <button type="button" className="secondary" data-testid="cancel-publish" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
