"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import type { ChannelView } from "@/server/channels/channel-service";
import type { WebSettings } from "@/server/channels/channel-settings";
import { HEX_COLOR, HEX_COLOR_MESSAGE, TEXT_COLOR_MESSAGE } from "@/server/channels/hex-color";
import { BrandColorField } from "./brand-color-field";
import { IdentitySecret } from "./channels/identity-secret";
import { WidgetSettingsSummary } from "./channels/widget-settings-summary";
import { CopyButton } from "./copy-button";
import { Field } from "./field";

type Props = {
  channel: ChannelView | null;
  /** Owners and admins change the widget; members only see how it is set up. */
  canManage: boolean;
  /** The embed snippet (server/channels/channel-links.ts); null until the channel exists. */
  snippet: string | null;
};

/** Checked as the person types, with the server's rule and words. */
const COLOR_FIELDS = { brand_color: HEX_COLOR_MESSAGE, text_color: TEXT_COLOR_MESSAGE } as const;

export function WebWidgetSettings({ channel, canManage, snippet }: Props) {
  const router = useRouter();
  const settings = (channel?.settings ?? {}) as Partial<WebSettings>;
  const [enabled, setEnabled] = useState(channel?.enabled ?? false);
  const [saved, setSaved] = useState(false);
  const { fields, error, pending, onSubmit, setError, setFields } = useFormSubmit(async (form) => {
    const text = (k: string) => String(form.get(k) ?? "").trim();
    await api.channels.update.mutate({
      type: "web",
      enabled: true,
      settings: {
        title: text("title"),
        welcome_message: text("welcome_message"),
        brand_color: text("brand_color"),
        text_color: text("text_color"),
        position: text("position"),
        // Left empty: no avatar, no launcher text (undefined removes a stored one).
        avatar_url: text("avatar_url") || undefined,
        launcher_text: text("launcher_text") || undefined,
        allowed_origins: text("allowed_origins").split(/[\s,]+/).filter(Boolean),
        require_verified_identity: form.get("require_verified_identity") === "on",
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
    const form = new FormData(e.currentTarget);
    const badColors = Object.entries(COLOR_FIELDS).filter(([k]) => !HEX_COLOR.test(String(form.get(k) ?? "").trim()));
    if (badColors.length) {
      e.preventDefault();
      setError(null);
      setFields(Object.fromEntries(badColors.map(([k, message]) => [`settings.${k}`, [message]])));
      return;
    }
    void onSubmit(e);
  }

  return (
    <section className="card" data-testid="channel-web">
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
          <BrandColorField name="text_color" label="Text colour" testId="widget-text-color" invalidMessage={TEXT_COLOR_MESSAGE} initial={settings.text_color ?? "#ffffff"} errors={fields["settings.text_color"]} />
          <div className="field">
            <label htmlFor="position">Position on the page</label>
            <select id="position" name="position" data-testid="widget-position" defaultValue={settings.position ?? "right"}>
              <option value="right">Bottom right</option>
              <option value="left">Bottom left</option>
            </select>
          </div>
          <Field
            label="Avatar URL (the bot's picture; empty shows none)"
            name="avatar_url"
            testId="widget-avatar"
            placeholder="https://shop.example.com/bot.png"
            defaultValue={settings.avatar_url ?? ""}
            errors={fields["settings.avatar_url"]}
          />
          <Field
            label="Launcher text (beside the chat icon; empty shows the icon alone)"
            name="launcher_text"
            testId="widget-launcher-text"
            maxLength={40}
            defaultValue={settings.launcher_text ?? ""}
            errors={fields["settings.launcher_text"]}
          />
          <Field
            label="Allowed website origins (comma separated; empty allows any)"
            name="allowed_origins"
            testId="widget-origins"
            placeholder="https://shop.example.com"
            defaultValue={(settings.allowed_origins ?? []).join(", ")}
            errors={Object.entries(fields).find(([k]) => k.startsWith("settings.allowed_origins"))?.[1]}
          />
          <label className="row" style={{ marginBottom: ".8rem" }}>
            <input type="checkbox" name="require_verified_identity" data-testid="widget-require-identity" defaultChecked={settings.require_verified_identity ?? false} />
            Require verified identity: only visitors your site identifies with a valid user_hash can chat
          </label>
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
      {!canManage && channel ? <WidgetSettingsSummary settings={settings} /> : null}
      {enabled && snippet ? (
        <>
          <h2>Install on your site</h2>
          <p className="muted">Paste this before the closing &lt;/body&gt; tag of your website.</p>
          <pre className="code" id="embed-snippet" data-testid="embed-snippet">{snippet}</pre>
          <CopyButton text={snippet} targetId="embed-snippet" testId="copy-snippet" label="Copy snippet" />
        </>
      ) : null}
      {canManage && channel ? <IdentitySecret /> : null}
    </section>
  );
}
