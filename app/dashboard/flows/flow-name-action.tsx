"use client";
import { useId, useState } from "react";
import { useFormSubmit } from "@/lib/use-form-submit";

type Props = {
  /** The button that opens the form, e.g. "Rename"; carries `testId`. */
  label: string;
  testId: string;
  /** What the name field holds when the form opens. */
  initialName: string;
  submitLabel: string;
  onSubmit(name: string): Promise<void>;
};

/**
 * A button that opens, in place, a one-field form asking for a flow name ("Name of the copy", a new name).
 * Test ids: `<testId>` opens it, `<testId>-name` is the field, `confirm-<testId>` sends, `cancel-<testId>` closes.
 */
export function FlowNameAction({ label, testId, initialName, submitLabel, onSubmit }: Props) {
  const [open, setOpen] = useState(false);
  // Several rows may have their form open at once: each field needs an id of its own.
  const fieldId = useId();
  const { fields, error, pending, onSubmit: submit } = useFormSubmit(async (form) => {
    await onSubmit(String(form.get("name") ?? ""));
    setOpen(false);
  });

  if (!open) {
    return (
      <button type="button" className="secondary" data-testid={testId} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  const problem = fields.name?.[0] ?? error;
  return (
    <form className="row" onSubmit={submit} noValidate aria-label={label}>
      <label className="muted" htmlFor={fieldId}>Flow name</label>
      <input id={fieldId} name="name" data-testid={`${testId}-name`} defaultValue={initialName} autoFocus aria-invalid={Boolean(problem)} />
      <button type="submit" data-testid={`confirm-${testId}`} disabled={pending}>
        {submitLabel}
      </button>
      <button type="button" className="secondary" data-testid={`cancel-${testId}`} disabled={pending} onClick={() => setOpen(false)}>
        Cancel
      </button>
      {problem ? <span className="error" role="alert">{problem}</span> : null}
    </form>
  );
}
