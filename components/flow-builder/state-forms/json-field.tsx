"use client";
import { useEffect, useRef, useState } from "react";
import { TextField } from "./panel-fields";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function parseJson(text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { ok: false, error: `This is not valid JSON: ${(e as Error).message}` };
  }
}

/**
 * JSON typed as text: a valid document is passed on, an invalid one stays in the box with the parser's
 * complaint under it until it is fixed. A change from outside (undo) replaces the text.
 */
export function JsonField({ path, label, value, onChange, rows = 3, dataField }: {
  path: string;
  label?: string;
  value: JsonValue;
  onChange(value: JsonValue): void;
  rows?: number;
  dataField?: string | null;
}) {
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | null>(null);
  const committed = useRef(JSON.stringify(value));
  useEffect(() => {
    const incoming = JSON.stringify(value);
    if (incoming === committed.current) return;
    committed.current = incoming;
    setText(JSON.stringify(value, null, 2));
    setError(null);
  }, [value]);
  return (
    <>
      <TextField
        path={path}
        label={label}
        dataField={dataField}
        rows={rows}
        value={text}
        onChange={(next) => {
          setText(next);
          const parsed = parseJson(next);
          setError(parsed.ok ? null : parsed.error);
          if (parsed.ok) {
            committed.current = JSON.stringify(parsed.value);
            onChange(parsed.value);
          }
        }}
      />
      {error ? (
        <p className="error" role="alert" data-testid="json-error">
          {error}
        </p>
      ) : null}
    </>
  );
}
