"use client";
import { useEffect, useId, useState, type ReactNode } from "react";
import { FieldIssues, useFieldScope } from "./field-scope";
import { fieldTitle } from "./schema-fields";
import { linesOf, parseNumber } from "./values";
import styles from "./state-forms.module.css";

/** The label a field shows: given, else the state schema's title for its path. */
function useLabel(path: string, label: string | undefined): string {
  const { type } = useFieldScope();
  return label ?? (type ? fieldTitle(type, path) : path);
}

type FieldProps = {
  /** The validator's path for this value: the label comes from the schema there, and it is the element's data-field. */
  path: string;
  label?: string;
  hint?: ReactNode;
  placeholder?: string;
  testId?: string;
  /** null for a control that only steers the form (a mode switch) and has no value of its own at `path`. */
  dataField?: string | null;
};

const dataFieldOf = (path: string, dataField: string | null | undefined) => (dataField === undefined ? path : dataField ?? undefined);

/** `field` is the element's data-field; issues are placed on data-fields, so a field without one shows none. */
function useFieldIds(path: string, dataField: string | null | undefined) {
  const id = useId();
  const { issuesAt, readOnly } = useFieldScope();
  const field = dataFieldOf(path, dataField);
  const issues = field === undefined ? [] : issuesAt(field);
  return {
    id,
    field,
    issuesId: `${id}-issues`,
    hintId: `${id}-hint`,
    invalid: issues.some((issue) => issue.severity !== "warning"),
    readOnly,
    hasIssues: issues.length > 0,
  };
}

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return children ? (
    <span className={`muted ${styles.hint}`} id={id}>
      {children}
    </span>
  ) : null;
}

const describedBy = (ids: ReturnType<typeof useFieldIds>, hint: ReactNode) =>
  [ids.hasIssues ? ids.issuesId : null, hint ? ids.hintId : null].filter(Boolean).join(" ") || undefined;

export function TextField({ path, label, hint, placeholder, testId, dataField, value, onChange, rows, suggestions }: FieldProps & {
  value: string;
  onChange(value: string): void;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number;
  /** Offered while typing (a datalist); anything else may still be typed. */
  suggestions?: readonly string[];
}) {
  const ids = useFieldIds(path, dataField);
  const common = {
    id: ids.id,
    value,
    placeholder,
    readOnly: ids.readOnly,
    "data-field": ids.field,
    "data-testid": testId,
    "aria-invalid": ids.invalid || undefined,
    "aria-describedby": describedBy(ids, hint),
  };
  return (
    <div className="field">
      <label htmlFor={ids.id}>{useLabel(path, label)}</label>
      {rows ? (
        <textarea {...common} rows={rows} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} list={suggestions ? `${ids.id}-list` : undefined} onChange={(e) => onChange(e.target.value)} />
      )}
      {suggestions ? (
        <datalist id={`${ids.id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
      <Hint id={ids.hintId}>{hint}</Hint>
      {ids.field === undefined ? null : <FieldIssues path={ids.field} id={ids.issuesId} />}
    </div>
  );
}

/** Empty means "not set": the optional field is removed, never stored as NaN. */
export function NumberField({ path, label, hint, dataField, value, onChange, min, max, step }: FieldProps & {
  value: number | undefined;
  onChange(value: number | undefined): void;
  min?: number;
  max?: number;
  step?: number | "any";
}) {
  const ids = useFieldIds(path, dataField);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{useLabel(path, label)}</label>
      <input
        id={ids.id}
        type="number"
        inputMode="decimal"
        value={value ?? ""}
        min={min}
        max={max}
        step={step}
        readOnly={ids.readOnly}
        data-field={ids.field}
        aria-invalid={ids.invalid || undefined}
        aria-describedby={describedBy(ids, hint)}
        onChange={(e) => onChange(parseNumber(e.target.value))}
      />
      <Hint id={ids.hintId}>{hint}</Hint>
      {ids.field === undefined ? null : <FieldIssues path={ids.field} id={ids.issuesId} />}
    </div>
  );
}

export type Choice = { value: string; label: string };

export function SelectField({ path, label, hint, dataField, value, choices, onChange }: FieldProps & { value: string; choices: readonly Choice[]; onChange(value: string): void }) {
  const ids = useFieldIds(path, dataField);
  // A value the choices do not know (an imported flow, a deleted state) stays visible instead of silently showing the first choice.
  const known = choices.some((c) => c.value === value);
  return (
    <div className="field">
      <label htmlFor={ids.id}>{useLabel(path, label)}</label>
      <select
        id={ids.id}
        value={value}
        disabled={ids.readOnly}
        data-field={ids.field}
        aria-invalid={ids.invalid || undefined}
        aria-describedby={describedBy(ids, hint)}
        onChange={(e) => onChange(e.target.value)}
      >
        {known ? null : <option value={value}>{value === "" ? "Choose…" : `${value} (unknown)`}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <Hint id={ids.hintId}>{hint}</Hint>
      {ids.field === undefined ? null : <FieldIssues path={ids.field} id={ids.issuesId} />}
    </div>
  );
}

export function CheckboxField({ path, label, hint, dataField, checked, onChange }: FieldProps & { checked: boolean; onChange(checked: boolean): void }) {
  const ids = useFieldIds(path, dataField);
  return (
    <div>
      <div className={styles.check}>
        <input
          id={ids.id}
          type="checkbox"
          checked={checked}
          disabled={ids.readOnly}
          data-field={ids.field}
          aria-describedby={describedBy(ids, hint)}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={ids.id}>{useLabel(path, label)}</label>
      </div>
      <Hint id={ids.hintId}>{hint}</Hint>
      {ids.field === undefined ? null : <FieldIssues path={ids.field} id={ids.issuesId} />}
    </div>
  );
}

/** A group of fields under one schema path: issues about the group as a whole ("needs at least one item") show at its foot. */
export function FieldGroup({ path, label, children }: { path: string; label?: string; children: ReactNode }) {
  return (
    <fieldset className={styles.section} data-field={path} tabIndex={-1}>
      <legend>{useLabel(path, label)}</legend>
      {children}
      <FieldIssues path={path} />
    </fieldset>
  );
}

export function SmallButton({ label, onClick, testId, danger, disabled }: { label: string; onClick(): void; testId?: string; danger?: boolean; disabled?: boolean }) {
  const { readOnly } = useFieldScope();
  if (readOnly) return null;
  return (
    <button type="button" className={`${danger ? "danger" : "secondary"} ${styles.small}`} data-testid={testId} disabled={disabled} onClick={onClick}>
      {label}
    </button>
  );
}


/** One value per line (enum values, an entity list); the text is kept as typed, so a new empty line survives until filled. */
export function LinesField({ path, label, hint, values, onChange, rows = 4 }: FieldProps & { values: readonly string[]; onChange(values: string[]): void; rows?: number }) {
  const joined = values.join("\n");
  const [draft, setDraft] = useState(joined);
  useEffect(() => {
    setDraft((current) => (linesOf(current).join("\n") === joined ? current : joined));
  }, [joined]);
  return (
    <TextField
      path={path}
      label={label}
      hint={hint}
      rows={rows}
      value={draft}
      onChange={(text) => {
        setDraft(text);
        onChange(linesOf(text));
      }}
    />
  );
}

/** A list of short texts (quick replies, intents listened for), one input per item. */
export function ListField({ path, label, values, onChange, addLabel, newItem, suggestions }: {
  path: string;
  label?: string;
  values: readonly string[];
  /** `field` is set while typing in one item, for one undo step per field edit. */
  onChange(values: string[], field?: string): void;
  addLabel: string;
  newItem(): string;
  suggestions?: readonly string[];
}) {
  return (
    <FieldGroup path={path} label={label}>
      <ul className={styles.rows}>
        {values.map((value, i) => (
          <li key={i} className={styles.inline}>
            <TextField
              path={`${path}.${i}`}
              value={value}
              suggestions={suggestions}
              onChange={(next) => onChange(values.map((v, j) => (j === i ? next : v)), `${path}.${i}`)}
            />
            <SmallButton label="Remove" onClick={() => onChange(values.filter((_, j) => j !== i))} />
          </li>
        ))}
      </ul>
      <SmallButton label={addLabel} onClick={() => onChange([...values, newItem()])} />
    </FieldGroup>
  );
}

