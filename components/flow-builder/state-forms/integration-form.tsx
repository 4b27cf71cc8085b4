"use client";
import { useState } from "react";
import { withConfig, type ConfigOf, type FormProps } from "./form-props";
import { CheckboxField, NumberField, SelectField, TextField } from "./panel-fields";
import { JsonField, type JsonValue } from "./json-field";
import { RecordRows } from "./record-rows";
import { fieldOptions, stateOptionSchema } from "./schema-fields";
import { uniqueName } from "@/lib/flow-builder/edits";

type Config = ConfigOf<"integration">;
type Method = NonNullable<Config["method"]>;

const METHOD_CHOICES = fieldOptions(stateOptionSchema("integration"), "config.method").map((m) => ({ value: m, label: m }));

const freshKey = (base: string) => (taken: readonly string[]) => uniqueName(base, (n) => taken.includes(n));

// The schema titles the mapping, not its values (any JSON), so the value's label is the panel's own.
const VALUE_LABEL = "Value sent";

/** A request field: a template string, or (toggled) any JSON value, e.g. a number or an object. */
function MappingValue({ path, value, onChange }: { path: string; value: JsonValue; onChange(value: JsonValue): void }) {
  const [raw, setRaw] = useState(typeof value !== "string");
  return (
    <>
      {raw ? (
        <JsonField path={path} label={VALUE_LABEL} value={value} onChange={onChange} rows={2} />
      ) : (
        <TextField path={path} label={VALUE_LABEL} value={typeof value === "string" ? value : JSON.stringify(value)} onChange={onChange} />
      )}
      <CheckboxField
        path={path}
        dataField={null}
        label="Raw JSON"
        checked={raw}
        onChange={(on) => {
          setRaw(on);
          // Back to a template: whatever the JSON was becomes its text, so nothing typed is lost.
          if (!on && typeof value !== "string") onChange(JSON.stringify(value));
        }}
      />
    </>
  );
}

export function IntegrationForm({ state, names, edit }: FormProps<"integration">) {
  const c = state.config;
  const set = (patch: Partial<Config>, field?: string) => edit(withConfig(state, patch), field);
  return (
    <>
      <TextField path="config.integration_id" value={c.integration_id} onChange={(id) => set({ integration_id: id }, "config.integration_id")} />
      <SelectField path="config.method" value={(c.method ?? "GET").toUpperCase()} choices={METHOD_CHOICES} onChange={(m) => set({ method: m as Method }, "config.method")} />
      <TextField
        path="config.endpoint"
        placeholder="https://api.example.com/orders/{order_id}"
        hint="A full https:// URL; {references} may go in the path or query, never in the host."
        value={c.endpoint}
        onChange={(endpoint) => set({ endpoint }, "config.endpoint")}
      />
      <RecordRows<string>
        path="config.headers"
        record={c.headers ?? {}}
        keyLabel="Header name"
        addLabel="Add header"
        newEntry={(taken) => [freshKey("X-Header")(taken), ""]}
        onChange={(headers, field) => set({ headers: Object.keys(headers).length > 0 ? headers : undefined }, field)}
        renderValue={(key, value, change) => <TextField path={`config.headers.${key}`} value={value} onChange={change} />}
      />
      <RecordRows<JsonValue>
        path="config.request_mapping"
        record={(c.request_mapping ?? {}) as Record<string, JsonValue>}
        keyLabel="Field sent"
        keyHint="Sent as the JSON body, or as query parameters for GET and DELETE. A value that is exactly {slot} keeps the slot's type."
        addLabel="Add request field"
        newEntry={(taken) => [freshKey("field")(taken), ""]}
        onChange={(mapping, field) => set({ request_mapping: mapping }, field)}
        renderValue={(key, value, change) => <MappingValue key={key} path={`config.request_mapping.${key}`} value={value} onChange={change} />}
      />
      <RecordRows<string>
        path="config.response_mapping"
        record={c.response_mapping ?? {}}
        keyLabel="Slot filled"
        keySuggestions={names.slots}
        addLabel="Add response field"
        newEntry={(taken) => [freshKey("result")(taken), ""]}
        onChange={(mapping, field) => set({ response_mapping: mapping }, field)}
        renderValue={(key, value, change) => <TextField path={`config.response_mapping.${key}`} placeholder="data.items.0.name" value={value} onChange={change} />}
      />
      <NumberField path="config.timeout_ms" min={1} max={60_000} step={1} value={c.timeout_ms} onChange={(n) => set({ timeout_ms: n }, "config.timeout_ms")} />
    </>
  );
}
