"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { ChannelView } from "@/server/channels/channel-service";
import { savedNotice } from "@/server/channels/channel-status";
import { Field } from "./field";

export type ChannelFieldSpec = { key: string; label: string; secret?: boolean; placeholder?: string };
export type MessagingChannelType = "whatsapp" | "slack" | "messenger";

type Props = { type: MessagingChannelType; title: string; fields: ChannelFieldSpec[]; channel: ChannelView | null; canManage: boolean };

/**
 * One form for every messaging channel; secrets are write-only and show only a hint once stored. The status comes
 * from the server: saved credentials alone never make a channel "connected".
 */
export function ChannelCredentialsForm({ type, title, fields, channel, canManage }: Props) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  // Several channels share field names (app_secret, api_base_url), and each input's id must be unique on the page.
  const inputName = (key: string) => `${type}-${key}`;

  const { fields: fieldErrors, error, pending, onSubmit: save } = useFormSubmit(async (form, formElement) => {
    const value = (k: string) => String(form.get(inputName(k)) ?? "").trim();
    setNotice(null);
    const view = await api.channels.update.mutate({
      type,
      enabled: form.get("enabled") === "on",
      settings: Object.fromEntries(fields.filter((f) => !f.secret && value(f.key)).map((f) => [f.key, value(f.key)])),
      secrets: Object.fromEntries(fields.filter((f) => f.secret).map((f) => [f.key, value(f.key)])),
    });
    // Stored secrets are never shown again; their fields now read "leave empty to keep".
    for (const f of fields) if (f.secret) (formElement.elements.namedItem(inputName(f.key)) as HTMLInputElement).value = "";
    setNotice(savedNotice(title, view.status));
    router.refresh();
  });

  const status = (
    <p data-testid={`channel-status-${type}`}>
      <strong>Status:</strong> {channel ? channel.status.label : "Not connected: no credentials saved"}
    </p>
  );
  if (!canManage) {
    return (
      <section className="card" data-testid={`channel-${type}`}>
        <h2>{title}</h2>
        {status}
      </section>
    );
  }
  return (
    <section className="card" data-testid={`channel-${type}`}>
      <h2>{title}</h2>
      {status}
      <form onSubmit={save} noValidate>
        <label className="row" style={{ marginBottom: ".8rem" }}>
          <input type="checkbox" name="enabled" defaultChecked={channel?.enabled ?? false} /> {`Reply on ${title} once its webhook is verified`}
        </label>
        {fields.map((f) => (
          <Field
            key={f.key}
            label={f.secret && channel?.secretHints[f.key] ? `${f.label} (stored: ${channel.secretHints[f.key]}; leave empty to keep)` : f.label}
            name={inputName(f.key)}
            type={f.secret ? "password" : "text"}
            autoComplete="off"
            placeholder={f.placeholder}
            defaultValue={f.secret ? "" : String(channel?.settings[f.key] ?? "")}
            errors={fieldErrors[`${f.secret ? "secrets" : "settings"}.${f.key}`]}
          />
        ))}
        <div className="row">
          <button type="submit" disabled={pending}>{pending ? "Saving…" : `Save ${title}`}</button>
        </div>
        {notice ? (
          <p className="notice" role="status" data-testid={`channel-saved-${type}`}>
            {notice}
          </p>
        ) : null}
        {error ? <p className="alert" role="alert">{error}</p> : null}
      </form>
    </section>
  );
}
