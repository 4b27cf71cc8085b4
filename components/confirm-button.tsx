"use client";
import { useState } from "react";
import { describeError } from "@/lib/trpc-client";

type Props = {
  /** The button that starts the action, e.g. "Revoke"; carries `testId`. */
  label: string;
  /** What will happen, asked before it does. */
  question: string;
  confirmLabel: string;
  testId: string;
  /** The test id of the button that does it; `confirm-${testId}` unless given. Cancel carries `cancel-${testId}`. */
  confirmTestId?: string;
  onConfirm(): Promise<void>;
};

/**
 * A destructive action asks in the page itself ("Are you sure? [Revoke] [Cancel]"), never with window.confirm.
 * A failure is shown beside the question, which stays open so the person can try again or cancel.
 */
export function ConfirmButton({ label, question, confirmLabel, testId, confirmTestId = `confirm-${testId}`, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onConfirm();
      setAsking(false);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setPending(false);
    }
  }

  if (!asking) {
    return (
      <button type="button" className="danger" data-testid={testId} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="row" role="group" aria-label={question} data-testid={`${testId}-question`}>
      <span>{question}</span>
      <button type="button" className="danger" data-testid={confirmTestId} disabled={pending} onClick={() => void confirm()}>
        {confirmLabel}
      </button>
      {/* Focus lands on Cancel, so a stray Enter changes nothing. */}
      <button type="button" className="secondary" data-testid={`cancel-${testId}`} autoFocus disabled={pending} onClick={() => setAsking(false)}>
        Cancel
      </button>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
