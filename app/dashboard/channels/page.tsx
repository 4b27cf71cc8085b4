"use client";
import { ChannelCredentialsForm, type ChannelFieldSpec } from "@/components/channel-credentials-form";
import { TestWidget } from "@/components/test-widget";
import { WebWidgetSettings } from "@/components/web-widget-settings";
import { api } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

const MESSAGING: { type: "whatsapp" | "slack" | "messenger"; title: string; fields: ChannelFieldSpec[] }[] = [
  {
    type: "whatsapp",
    title: "WhatsApp",
    fields: [
      { key: "phone_number_id", label: "Phone number ID" },
      { key: "business_account_id", label: "Business account ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://graph.facebook.com/v19.0" },
      { key: "access_token", label: "Access token", secret: true },
      { key: "app_secret", label: "App secret", secret: true },
      { key: "verify_token", label: "Webhook verify token", secret: true },
    ],
  },
  {
    type: "slack",
    title: "Slack",
    fields: [
      { key: "team_id", label: "Team ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://slack.com/api" },
      { key: "bot_token", label: "Bot token", secret: true },
      { key: "signing_secret", label: "Signing secret", secret: true },
    ],
  },
  {
    type: "messenger",
    title: "Messenger",
    fields: [
      { key: "page_id", label: "Page ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://graph.facebook.com/v19.0" },
      { key: "page_access_token", label: "Page access token", secret: true },
      { key: "app_secret", label: "App secret", secret: true },
      { key: "verify_token", label: "Webhook verify token", secret: true },
    ],
  },
];

export default function ChannelsPage() {
  const channels = useQuery(() => api.channels.list.query());
  const byType = (t: string) => channels.data?.find((c) => c.type === t) ?? null;
  return (
    <div data-testid="channel-setup">
      <h1>Channels</h1>
      <p className="muted">Where your customers reach your bot. Every channel runs the same published flow.</p>
      {channels.error ? <p className="alert">{channels.error}</p> : null}
      {channels.data ? (
        <>
          <WebWidgetSettings channel={byType("web")} onChange={channels.reload} />
          <section className="card">
            <h2>Preview</h2>
            <TestWidget />
          </section>
          {MESSAGING.map((m) => (
            <ChannelCredentialsForm key={m.type} {...m} channel={byType(m.type)} onChange={channels.reload} />
          ))}
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </div>
  );
}
