"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { ChannelView } from "@/server/channels/channel-service";
import { savedNotice } from "@/server/channels/channel-status";
import { VerifyToken } from "./channels/verify-token";
import { WebhookUrl } from "./channels/webhook-url";
import { Field } from "./field";

/** `modes`: the channel modes the field belongs to (none: every mode). */
export type ChannelFieldSpec = { key: string; label: string; secret?: boolean; placeholder?: string; modes?: string[] };
/** A way of connecting the channel (WhatsApp: Meta's Cloud API or a self-hosted bridge), stored as settings.mode. */
export type ChannelModeSpec = { value: string; label: string };
export type MessagingChannelType = "whatsapp" | "slack" | "messenger";

type Props = {
  type: MessagingChannelType;
  title: string;
  fields: ChannelFieldSpec[];
  modes?: ChannelModeSpec[];
  channel: ChannelView | null;
  /** APP_URL + the channel's webhook path; null until the channel is saved. */
  webhookUrl: string | null;
  canManage: boolean;
};

// Meta's platforms verify a webhook by echoing a token the tenant chose (hub.verify_token).
const USES_VERIFY_TOKEN: Record<MessagingChannelType, boolean> = { whatsapp: true, messenger: true, slack: false };

/**
 * One form for every messaging channel; secrets are write-only and show only a hint once stored. The status comes
 * from the server: saved credentials alone never make a channel "connected".
 */
export function ChannelCredentialsForm({ type, title, fields, modes, channel, webhookUrl, canManage }: Props) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState(String(channel?.settings.mode ?? modes?.[0]?.value ?? ""));
  // Several channels share field names (app_secret, api_base_url), and each input's id must be unique on the page.
  const inputName = (key: string) => `${type}-${key}`;
  const shown = fields.filter((f) => !f.modes || f.modes.includes(mode));

  const { fields: fieldErrors, error, pending, onSubmit: save } = useFormSubmit(async (form, formElement) => {
    const value = (k: string) => String(form.get(inputName(k)) ?? "").trim();
    setNotice(null);
    const view = await api.channels.update.mutate({
      type,
      enabled: form.get("enabled") === "on",
      settings: { ...(modes ? { mode } : {}), ...Object.fromEntries(shown.filter((f) => !f.secret && value(f.key)).map((f) => [f.key, value(f.key)])) },
      secrets: Object.fromEntries(shown.filter((f) => f.secret).map((f) => [f.key, value(f.key)])),
    });
    // Stored secrets are never shown again; their fields now read "leave empty to keep".
    for (const f of shown) if (f.secret) (formElement.elements.namedItem(inputName(f.key)) as HTMLInputElement).value = "";
    setNotice(savedNotice(title, view.status));
    router.refresh();
  });

  const storedMode = String(channel?.settings.mode ?? modes?.[0]?.value ?? "");
  const verifyTokenShown = USES_VERIFY_TOKEN[type] && Boolean(channel?.secretHints.verify_token) && (!modes || storedMode === "cloud");
  const connection = (
    <>
      <p data-testid={`channel-status-${type}`}>
        <strong>Status:</strong> {channel ? channel.status.label : "Not connected: no credentials saved"}
      </p>
      <WebhookUrl type={type} url={webhookUrl} bridge={Boolean(modes) && storedMode === "bridge"} />
      {canManage && verifyTokenShown ? <VerifyToken type={type as "whatsapp" | "messenger"} hint={channel!.secretHints.verify_token!} /> : null}
    </>
  );
  if (!canManage) {
    return (
      <section className="card" data-testid={`channel-${type}`}>
        <h2>{title}</h2>
        {connection}
      </section>
    );
  }
  return (
    <section className="card" data-testid={`channel-${type}`}>
      <h2>{title}</h2>
      {connection}
      <form onSubmit={save} noValidate>
        <label className="row" style={{ marginBottom: ".8rem" }}>
          <input type="checkbox" name="enabled" defaultChecked={channel?.enabled ?? false} /> {`Reply on ${title} once its webhook is verified`}
        </label>
        {modes ? (
          <div className="field">
            <label htmlFor={inputName("mode")}>Connect through</label>
            <select id={inputName("mode")} data-testid={`${type}-mode`} value={mode} onChange={(e) => setMode(e.target.value)}>
              {modes.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {shown.map((f) => (
          <Field
            key={`${f.key}:${f.modes?.join() ?? ""}`}
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
