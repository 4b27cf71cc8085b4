"use client";
import { useId, useState, type FormEvent } from "react";
import { ModalDialog } from "./modal-dialog";

type Props = {
  open: boolean;
  /** Saves what is pending, publishes; resolves to the error to show, or null once published. */
  onPublish(note: string): Promise<string | null>;
  onClose(): void;
};

/** Publishing makes an immutable version; the note says why, for whoever reads the versions list later. */
export function PublishDialog({ open, onPublish, onClose }: Props) {
  return (
    <ModalDialog open={open} testId="publish-dialog" labelledBy="publish-title" onClose={onClose}>
      <PublishForm onPublish={onPublish} onClose={onClose} />
    </ModalDialog>
  );
}

function PublishForm({ onPublish, onClose }: Omit<Props, "open">) {
  const id = useId();
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const problem = await onPublish(note.trim());
    setPending(false);
    if (problem) setError(problem);
  }

  return (
    <form onSubmit={(e) => void submit(e)}>
      <h2 id="publish-title">Publish this draft</h2>
      <p className="muted">New conversations get the published version; conversations already running keep the one they started with.</p>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <input id={`${id}-note`} data-testid="publish-note" maxLength={500} value={note} placeholder="What changed, for the versions list" onChange={(e) => setNote(e.target.value)} />
      </div>
      {error ? (
        <p className="alert" role="alert" data-testid="publish-error">
          {error}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" data-testid="confirm-publish" disabled={pending}>
          {pending ? "Publishing…" : "Publish"}
        </button>
        <button type="button" className="secondary" data-testid="cancel-publish" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
