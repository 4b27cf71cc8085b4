"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { ChannelView } from "@/server/channels/channel-service";
import { HEX_COLOR, HEX_COLOR_MESSAGE } from "@/server/channels/hex-color";
import { BrandColorField } from "./brand-color-field";
import { CopyButton } from "./copy-button";
import { Field } from "./field";

type Props = {
  channel: ChannelView | null;
  /** Owners and admins change the widget; members only see how it is set up. */
  canManage: boolean;
  /** The app's public origin, which the snippet loads the script from. */
  appOrigin: string;
};

type StoredSettings = Partial<{ title: string; welcome_message: string; brand_color: string; position: "right" | "left"; allowed_origins: string[] }>;

export function WebWidgetSettings({ channel, canManage, appOrigin }: Props) {
  const router = useRouter();
  const settings = (channel?.settings ?? {}) as StoredSettings;
  const [enabled, setEnabled] = useState(channel?.enabled ?? false);
  const [saved, setSaved] = useState(false);
  const { fields, error, pending, onSubmit, setError, setFields } = useFormSubmit(async (form) => {
    const text = (k: string) => String(form.get(k) ?? "");
    await api.channels.update.mutate({
      type: "web",
      enabled: true,
      settings: {
        title: text("title"),
        welcome_message: text("welcome_message"),
        brand_color: text("brand_color").trim(),
        position: text("position"),
        allowed_origins: text("allowed_origins").split(/[\s,]+/).filter(Boolean),
      },
    });
    setSaved(true);
    router.refresh();
  });

  useEffect(() => setEnabled(channel?.enabled ?? false), [channel?.enabled]);

  async function toggle(next: boolean) {
    setEnabled(next);
    setError(null);
    try {
      await api.channels.update.mutate({ type: "web", enabled: next });
      router.refresh();
    } catch (e) {
      setEnabled(!next);
      setError(describeError(e).message);
    }
  }

  function save(e: FormEvent<HTMLFormElement>) {
    setSaved(false);
    if (!HEX_COLOR.test(String(new FormData(e.currentTarget).get("brand_color") ?? "").trim())) {
      e.preventDefault();
      setError(null);
      setFields({ "settings.brand_color": [HEX_COLOR_MESSAGE] });
      return;
    }
    void onSubmit(e);
  }

  const snippet = channel ? `<script src="${appOrigin}/widget.js" data-key="${channel.publicKey}" async></script>` : null;
  return (
    <section className="card">
      <h2>Web widget</h2>
      {canManage ? (
        <label className="row">
          <input type="checkbox" data-testid="enable-web-widget" checked={enabled} onChange={(e) => void toggle(e.target.checked)} />
          Enable the chat widget on your website
        </label>
      ) : (
        <p data-testid="channel-status-web">{`Status: ${channel?.status.label ?? "Off"}`}</p>
      )}
      {error ? <p className="alert" role="alert">{error}</p> : null}
      {canManage && enabled ? (
        <form data-testid="widget-config" onSubmit={save} noValidate style={{ marginTop: "1rem" }}>
          <Field label="Title" name="title" testId="widget-title" defaultValue={settings.title ?? "Chat with us"} errors={fields["settings.title"]} />
          <Field label="Welcome message" name="welcome_message" testId="widget-welcome" defaultValue={settings.welcome_message ?? "Hi! How can we help you today?"} errors={fields["settings.welcome_message"]} />
          <BrandColorField name="brand_color" initial={settings.brand_color ?? "#4f46e5"} errors={fields["settings.brand_color"]} />
          <div className="field">
            <label htmlFor="position">Position on the page</label>
            <select id="position" name="position" data-testid="widget-position" defaultValue={settings.position ?? "right"}>
              <option value="right">Bottom right</option>
              <option value="left">Bottom left</option>
            </select>
          </div>
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
      {enabled && snippet ? (
        <>
          <h2>Install on your site</h2>
          <p className="muted">Paste this before the closing &lt;/body&gt; tag of your website.</p>
          <pre className="code" id="embed-snippet" data-testid="embed-snippet">{snippet}</pre>
          <CopyButton text={snippet} targetId="embed-snippet" testId="copy-snippet" label="Copy snippet" />
        </>
      ) : null}
    </section>
  );
}
