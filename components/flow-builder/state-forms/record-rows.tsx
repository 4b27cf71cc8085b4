"use client";
import type { ReactNode } from "react";
import { NameField } from "./name-fields";
import { FieldGroup, SmallButton } from "./panel-fields";
import { renameKey, withoutKey } from "./values";
import styles from "./state-forms.module.css";

/**
 * Rows of a keyed record (headers, mappings, template variants): the key is a name committed on
 * Enter or blur (never two rows with one key), the value is edited by `renderValue`.
 */
export function RecordRows<V>({ path, label, record, keyLabel, reserved = [], onChange, renderValue, newEntry, addLabel, keyHint, keySuggestions, lead }: {
  path: string;
  label?: string;
  record: Record<string, V>;
  keyLabel: string;
  /** Keys a row may not take (the default template). */
  reserved?: readonly string[];
  onChange(record: Record<string, V>, field?: string): void;
  renderValue(key: string, value: V, set: (value: V) => void): ReactNode;
  newEntry(taken: readonly string[]): [string, V];
  addLabel: string;
  keyHint?: ReactNode;
  keySuggestions?: readonly string[];
  /** Shown above the rows, inside the group (the default template above its variants). */
  lead?: ReactNode;
}) {
  const keys = Object.keys(record);
  function rename(from: string, to: string): string | null {
    const key = to.trim();
    if (key === "") return `${keyLabel} is required`;
    if (key !== from && (Object.hasOwn(record, key) || reserved.includes(key))) return `"${key}" is already used here`;
    onChange(renameKey(record, from, key));
    return null;
  }
  return (
    <FieldGroup path={path} label={label}>
      {lead}
      <ul className={styles.rows}>
        {/* Keyed by place, so a row keeps focus while its key is renamed. */}
        {keys.map((key, i) => (
          <li key={i} className={styles.rowItem}>
            <NameField label={keyLabel} value={key} hint={keyHint} suggestions={keySuggestions} onCommit={(to) => rename(key, to)} />
            {renderValue(key, record[key] as V, (value) => onChange({ ...record, [key]: value }, `${path}.${key}`))}
            <SmallButton label="Remove" onClick={() => onChange(withoutKey(record, key))} />
          </li>
        ))}
      </ul>
      <SmallButton
        label={addLabel}
        onClick={() => {
          const [key, value] = newEntry([...keys, ...reserved]);
          onChange({ ...record, [key]: value });
        }}
      />
    </FieldGroup>
  );
}
