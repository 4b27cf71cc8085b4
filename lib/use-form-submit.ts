"use client";
import { useState, type FormEvent } from "react";
import { describeError, type FieldErrors } from "./trpc-client";

type Described = ReturnType<typeof describeError>;
type Options = {
  /** Sees a failure before the form shows it (e.g. to swap the form for another view). */
  onError?(err: unknown, described: Described): void;
  /** The action ends by leaving this page or form: the button stays disabled until it is gone, so it cannot be sent twice. */
  keepPendingOnSuccess?: boolean;
};

/**
 * A form that sends itself to the server: while the action runs it is pending with no errors shown; a failure
 * shows the server's message and per-field errors. `setError`/`setFields` are for errors found outside a submit
 * (a check in the browser, another control on the same card).
 */
export function useFormSubmit(action: (form: FormData, el: HTMLFormElement) => Promise<void>, opts: Options = {}) {
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    setPending(true);
    setError(null);
    setFields({});
    try {
      await action(new FormData(el), el);
      if (!opts.keepPendingOnSuccess) setPending(false);
    } catch (err) {
      const described = describeError(err);
      opts.onError?.(err, described);
      setFields(described.fields);
      setError(described.message);
      setPending(false);
    }
  }

  return { fields, error, pending, onSubmit, setError, setFields };
}
