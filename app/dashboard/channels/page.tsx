import type { Metadata } from "next";
import { ChannelCredentialsForm } from "@/components/channel-credentials-form";
import { TestWidget } from "@/components/test-widget";
import { WebWidgetSettings } from "@/components/web-widget-settings";
import { serverApi } from "@/lib/server-api";
import { env } from "@/server/env";
import { MESSAGING_CHANNELS } from "./messaging-channels";

export const metadata: Metadata = { title: "Channels" };

export default async function ChannelsPage() {
  const api = await serverApi();
  const [tenant, channels] = await Promise.all([api.tenant.current(), api.channels.list()]);
  const canManage = tenant.role !== "member";
  const byType = (t: string) => channels.find((c) => c.type === t) ?? null;
  return (
    <div data-testid="channel-setup">
      <h1>Channels</h1>
      <p className="muted">Where your customers reach your bot. Every channel runs the same published flow.</p>
      {canManage ? null : <p className="muted">Owners and admins change channels; you can see how each one is configured and try the bot.</p>}
      <WebWidgetSettings channel={byType("web")} canManage={canManage} appOrigin={new URL(env().APP_URL).origin} />
      <section className="card">
        <h2>Preview</h2>
        <TestWidget />
      </section>
      {MESSAGING_CHANNELS.map((m) => (
        <ChannelCredentialsForm key={m.type} {...m} channel={byType(m.type)} canManage={canManage} />
      ))}
    </div>
  );
}
