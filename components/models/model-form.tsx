"use client";
import { useRef, useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";
import type { ProviderKind } from "@/db/schema";
import { PROVIDER_LABELS } from "@/server/models/provider-labels";
import type { ProviderConfigSummary } from "@/server/models/provider-configs";

type Props = {
  /** The saved model being edited; none for a new one. */
  editing?: ProviderConfigSummary;
  onSaved: () => void;
  onCancel?: () => void;
};
type TestShown = { ok: boolean; message: string; receipt: string };

const PROVIDERS = Object.entries(PROVIDER_LABELS) as [ProviderKind, string][];
const CONNECTION_FIELDS = new Set(["provider", "model", "baseUrl", "apiKey"]);
const MODEL_PLACEHOLDERS: Record<ProviderKind, string> = { openai: "gpt-4o-mini, gpt-4o", anthropic: "claude-sonnet-4-5, claude-haiku-4-5", openai_compatible: "llama-3.1-8b-instruct" };

/**
 * Connects a new model or edits a saved one. "Test connection" calls the model with the typed values
 * before anything is saved; saving those same values keeps the result, so the model shows as connected.
 */
export function ModelForm({ editing, onSaved, onCancel }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  const [provider, setProvider] = useState<ProviderKind>(editing?.provider ?? "openai");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<TestShown | null>(null);
  const [busy, setBusy] = useState<"testing" | "saving" | null>(null);
  const [saved, setSaved] = useState(false);

  /** What is called: the first model, base URL and key as typed (a blank key on an edit keeps the saved one). */
  function connection() {
    const form = new FormData(formRef.current!);
    const text = (name: string) => String(form.get(name) ?? "");
    const [model = "", ...models] = text("model").split(",").map((m) => m.trim()).filter(Boolean);
    return { connection: { model, baseUrl: text("baseUrl"), apiKey: text("apiKey") }, models };
  }
  const formValue = (name: string) => new FormData(formRef.current!).get(name);

  function failed(err: unknown) {
    const d = describeError(err);
    setFields(d.fields);
    setError(d.message);
  }

  async function runTest() {
    setBusy("testing");
    setFields({});
    setError(null);
    setSaved(false);
    try {
      setTest(await api.models.testDraft.mutate({ ...connection().connection, provider, id: editing?.id }));
    } catch (err) {
      setTest(null);
      failed(err);
    } finally {
      setBusy(null);
    }
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const { connection: called, models } = connection();
    const edit = { ...called, models, name: String(formValue("name") ?? ""), testReceipt: test?.receipt };
    setBusy("saving");
    setFields({});
    setError(null);
    try {
      if (editing) await api.models.update.mutate({ ...edit, id: editing.id });
      else await api.models.create.mutate({ ...edit, provider, isDefault: formValue("isDefault") === "on" });
      formRef.current!.reset();
      setTest(null);
      setSaved(!editing);
      onSaved();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  }

  function changed(field: string) {
    setSaved(false);
    // A new provider, model, base URL or key makes the shown result stale (the server would not keep it either); a new name does not.
    if (CONNECTION_FIELDS.has(field)) setTest(null);
  }

  const prefix = editing ? "edit-model" : "model";
  return (
    <form ref={formRef} onSubmit={save} onChange={(e) => changed((e.target as { name?: string }).name ?? "")} noValidate data-testid={`${prefix}-form`}>
      <div className="field">
        <label htmlFor="provider">Provider</label>
        <select id="provider" name="provider" data-testid="model-provider" value={provider} disabled={Boolean(editing)} onChange={(e) => setProvider(e.target.value as ProviderKind)}>
          {PROVIDERS.map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        {editing ? <span className="muted">To use another provider, connect it as a new model.</span> : null}
      </div>
      <Field label="Name" name="name" testId="model-name" placeholder="Production GPT" defaultValue={editing?.name} errors={fields.name} autoFocus={Boolean(editing)} />
      <Field
        label="Models (comma-separated; the first is tested and tried first)"
        name="model"
        testId="model-model"
        placeholder={MODEL_PLACEHOLDERS[provider]}
        defaultValue={editing ? [editing.model, ...editing.models].join(", ") : undefined}
        errors={fields.model ?? fields.models}
      />
      <Field label={provider === "openai_compatible" ? "Base URL" : "Base URL (optional)"} name="baseUrl" testId="model-base-url" placeholder="https://llm.example.com/v1" defaultValue={editing?.baseUrl ?? ""} errors={fields.baseUrl} />
      <Field
        label={editing ? "New API key (optional)" : "API key"}
        name="apiKey"
        testId="model-api-key"
        type="password"
        autoComplete="off"
        placeholder={editing ? `Blank keeps the saved key ${editing.apiKeyHint}` : undefined}
        errors={fields.apiKey}
      />
      {editing ? null : (
        <label className="row" style={{ marginBottom: ".8rem" }}>
          <input type="checkbox" name="isDefault" data-testid="model-default" /> Use as default
        </label>
      )}
      {test ? (
        <p className={test.ok ? "notice" : "alert"} role="status" data-testid="connection-result" data-ok={test.ok}>
          {test.ok ? test.message : `Not connected: ${test.message}`}
        </p>
      ) : null}
      {error ? <p className="alert" role="alert">{error}</p> : null}
      {saved ? <p className="notice" role="status" data-testid="model-saved">Model saved.</p> : null}
      <div className="row">
        <button type="button" className="secondary" data-testid="test-connection" disabled={busy !== null} onClick={() => void runTest()}>
          {busy === "testing" ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" data-testid="save-model" disabled={busy !== null}>
          {editing ? "Save changes" : "Save model"}
        </button>
        {onCancel ? (
          <button type="button" className="secondary" data-testid="cancel-edit-model" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
