"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

const PROVIDERS = [
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "openai_compatible", label: "OpenAI-compatible server" },
] as const;

export default function ModelsPage() {
  const models = useQuery(() => api.models.list.query());
  const [provider, setProvider] = useState<(typeof PROVIDERS)[number]["value"]>("openai");
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setFields({});
    setError(null);
    setSaved(false);
    try {
      await api.models.create.mutate({
        provider,
        name: String(form.get("name") ?? ""),
        model: String(form.get("model") ?? ""),
        baseUrl: String(form.get("baseUrl") ?? ""),
        apiKey: String(form.get("apiKey") ?? ""),
        isDefault: form.get("isDefault") === "on",
      });
      formEl.reset();
      setSaved(true);
      models.reload();
    } catch (err) {
      const d = describeError(err);
      setFields(d.fields);
      setError(d.message);
    }
  }

  return (
    <div>
      <h1>AI models</h1>
      <p className="muted">Optional: flows work without a model. A connected model powers LLM steps and refines intent detection. Keys are encrypted at rest and never shown again.</p>
      <section className="card">
        <table>
          <thead><tr><th>Name</th><th>Provider</th><th>Model</th><th>Key</th><th /></tr></thead>
          <tbody>
            {models.data?.map((m) => (
              <tr key={m.id}>
                <td>{m.name} {m.isDefault ? <span className="badge">default</span> : null}</td>
                <td>{m.provider}{m.baseUrl ? ` (${m.baseUrl})` : ""}</td>
                <td>{m.model}</td>
                <td><code>{m.apiKeyHint}</code></td>
                <td>
                  <button className="danger" onClick={async () => { await api.models.remove.mutate({ id: m.id }); models.reload(); }}>Remove</button>
                </td>
              </tr>
            ))}
            {models.data?.length === 0 ? <tr><td colSpan={5} className="muted">No model connected.</td></tr> : null}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>Connect a model</h2>
        <form onSubmit={add} noValidate>
          <div className="field">
            <label htmlFor="provider">Provider</label>
            <select id="provider" value={provider} onChange={(e) => setProvider(e.target.value as typeof provider)}>
              {PROVIDERS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
            </select>
          </div>
          <Field label="Name" name="name" placeholder="Production GPT" errors={fields.name} />
          <Field label="Model" name="model" placeholder={provider === "anthropic" ? "claude-sonnet-4-5" : "gpt-4o-mini"} errors={fields.model} />
          <Field label={provider === "openai_compatible" ? "Base URL" : "Base URL (optional)"} name="baseUrl" placeholder="https://llm.example.com/v1" errors={fields.baseUrl} />
          <Field label="API key" name="apiKey" type="password" autoComplete="off" errors={fields.apiKey} />
          <label className="row" style={{ marginBottom: ".8rem" }}><input type="checkbox" name="isDefault" /> Use as default</label>
          {error ? <p className="alert" role="alert">{error}</p> : null}
          {saved ? <p className="notice" role="status">Model connected.</p> : null}
          <button type="submit">Connect model</button>
        </form>
      </section>
    </div>
  );
}
