"use client";
import { useEffect, useState, type FormEvent } from "react";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";
import type { ChannelView } from "@/server/channels/channel-service";
import { Field } from "./field";

type Props = { channel: ChannelView | null; onChange: () => void };

export function WebWidgetSettings({ channel, onChange }: Props) {
  const settings = (channel?.settings ?? {}) as Partial<{ title: string; welcome_message: string; brand_color: string; allowed_origins: string[] }>;
  const [enabled, setEnabled] = useState(channel?.enabled ?? false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  useEffect(() => setEnabled(channel?.enabled ?? false), [channel?.enabled]);

  async function toggle(next: boolean) {
    setEnabled(next);
    setError(null);
    try {
      await api.channels.update.mutate({ type: "web", enabled: next });
      onChange();
    } catch (e) {
      setEnabled(!next);
      setError(describeError(e).message);
    }
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setSaved(false);
    setError(null);
    setFields({});
    try {
      await api.channels.update.mutate({
        type: "web",
        enabled: true,
        settings: {
          title: String(form.get("title") ?? ""),
          welcome_message: String(form.get("welcome_message") ?? ""),
          brand_color: String(form.get("brand_color") ?? ""),
          allowed_origins: String(form.get("allowed_origins") ?? "").split(/[\s,]+/).filter(Boolean),
        },
      });
      setSaved(true);
      onChange();
    } catch (err) {
      const d = describeError(err);
      setError(d.message);
      setFields(d.fields);
    } finally {
      setPending(false);
    }
  }

  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <section className="card">
      <h2>Web widget</h2>
      <label className="row">
        <input type="checkbox" data-testid="enable-web-widget" checked={enabled} onChange={(e) => void toggle(e.target.checked)} />
        Enable the chat widget on your website
      </label>
      {error ? <p className="alert" role="alert">{error}</p> : null}
      {enabled ? (
        <form data-testid="widget-config" onSubmit={save} noValidate style={{ marginTop: "1rem" }}>
          <Field label="Title" name="title" testId="widget-title" defaultValue={settings.title ?? "Chat with us"} errors={fields["settings.title"]} />
          <Field label="Welcome message" name="welcome_message" testId="widget-welcome" defaultValue={settings.welcome_message ?? "Hi! How can we help you today?"} errors={fields["settings.welcome_message"]} />
          <Field label="Brand colour" name="brand_color" type="color" testId="widget-color" defaultValue={settings.brand_color ?? "#4f46e5"} errors={fields["settings.brand_color"]} />
          <Field
            label="Allowed website origins (comma separated; empty allows any)"
            name="allowed_origins"
            testId="widget-origins"
            placeholder="https://shop.example.com"
            defaultValue={(settings.allowed_origins ?? []).join(", ")}
            errors={Object.entries(fields).find(([k]) => k.startsWith("settings.allowed_origins"))?.[1]}
          />
          <div className="row">
            <button type="submit" data-testid="save-widget-config" disabled={pending}>
              {pending ? "Saving…" : "Save widget"}
            </button>
            {saved ? (
              <span className="notice" role="status" data-testid="config-saved">
                Widget settings saved.
              </span>
            ) : null}
          </div>
        </form>
      ) : null}
      {enabled && channel ? (
        <>
          <h2>Install on your site</h2>
          <p className="muted">Paste this before the closing &lt;/body&gt; tag of your website.</p>
          <pre className="code" data-testid="embed-snippet">{`<script src="${origin}/widget.js" data-key="${channel.publicKey}" async></script>`}</pre>
        </>
      ) : null}
    </section>
  );
}
