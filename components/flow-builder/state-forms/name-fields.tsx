"use client";
import { useEffect, useId, useState, type ReactNode } from "react";
import { useFieldScope } from "./field-scope";
import styles from "./state-forms.module.css";

/**
 * A name that other things are keyed by (a state, a slot, a header, an intent): typed freely, applied
 * on Enter or when leaving the field, so half-typed names never collide with existing ones.
 * `onCommit` answers an error to show, or null when the name was taken.
 */
export function NameField({ label, value, onCommit, dataField, testId, hint, suggestions }: {
  label: string;
  suggestions?: readonly string[];
  value: string;
  onCommit(next: string): string | null;
  dataField?: string;
  testId?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const { readOnly } = useFieldScope();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(value);
    setError(null);
  }, [value]);
  function commit() {
    if (draft === value) return setError(null);
    setError(onCommit(draft));
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={draft}
        readOnly={readOnly}
        data-field={dataField}
        data-testid={testId}
        list={suggestions ? `${id}-list` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          } else if (e.key === "Escape") {
            setDraft(value);
            setError(null);
          }
        }}
      />
      {suggestions ? (
        <datalist id={`${id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
      {hint ? (
        <span className={`muted ${styles.hint}`} id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A box and a button that add what was typed (Enter adds too); `onAdd` answers why it was refused, or null once added. */
export function AddField({ label, buttonLabel, placeholder, inputTestId, buttonTestId, onAdd }: {
  label: string;
  buttonLabel: string;
  placeholder?: string;
  inputTestId?: string;
  buttonTestId?: string;
  onAdd(text: string): string | null;
}) {
  const id = useId();
  const { readOnly } = useFieldScope();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  if (readOnly) return null;
  function add() {
    const refused = onAdd(text.trim());
    setProblem(refused);
    if (!refused) setText("");
  }
  return (
    <div className={styles.inline}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          data-testid={inputTestId}
          placeholder={placeholder}
          value={text}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        {problem ? (
          <span className="error" id={`${id}-error`} role="alert">
            {problem}
          </span>
        ) : null}
      </div>
      <button type="button" className={`secondary ${styles.small}`} data-testid={buttonTestId} onClick={add}>
        {buttonLabel}
      </button>
    </div>
  );
}
