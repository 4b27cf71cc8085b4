"use client";
import { useState, type FormEvent } from "react";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";
import type { ChannelView } from "@/server/channels/channel-service";
import { Field } from "./field";

export type ChannelFieldSpec = { key: string; label: string; secret?: boolean; placeholder?: string };

type Props = { type: "whatsapp" | "slack" | "messenger"; title: string; fields: ChannelFieldSpec[]; channel: ChannelView | null; onChange: () => void };

/** One form for every messaging channel; secrets are write-only and show only a hint once stored. */
export function ChannelCredentialsForm({ type, title, fields, channel, onChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "").trim();
    setPending(true);
    setSaved(false);
    setError(null);
    setFieldErrors({});
    try {
      await api.channels.update.mutate({
        type,
        enabled: form.get("enabled") === "on",
        settings: Object.fromEntries(fields.filter((f) => !f.secret && value(f.key)).map((f) => [f.key, value(f.key)])),
        secrets: Object.fromEntries(fields.filter((f) => f.secret).map((f) => [f.key, value(f.key)])),
      });
      setSaved(true);
      onChange();
    } catch (err) {
      const d = describeError(err);
      setError(d.message);
      setFieldErrors(d.fields);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" data-testid={`channel-${type}`}>
      <h2>{title}</h2>
      <form onSubmit={save} noValidate>
        <label className="row" style={{ marginBottom: ".8rem" }}>
          <input type="checkbox" name="enabled" defaultChecked={channel?.enabled ?? false} /> Enabled
        </label>
        {fields.map((f) => (
          <Field
            key={f.key}
            label={f.secret && channel?.secretHints[f.key] ? `${f.label} (stored: ${channel.secretHints[f.key]}; leave empty to keep)` : f.label}
            name={f.key}
            type={f.secret ? "password" : "text"}
            autoComplete="off"
            placeholder={f.placeholder}
            defaultValue={f.secret ? "" : String(channel?.settings[f.key] ?? "")}
            errors={fieldErrors[`${f.secret ? "secrets" : "settings"}.${f.key}`]}
          />
        ))}
        <div className="row">
          <button type="submit" disabled={pending}>{pending ? "Saving…" : `Save ${title}`}</button>
          {saved ? <span className="notice" role="status">Saved.</span> : null}
        </div>
        {error ? <p className="alert" role="alert">{error}</p> : null}
      </form>
    </section>
  );
}
