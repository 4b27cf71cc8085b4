import type { Metadata } from "next";
import { ChannelCredentialsForm } from "@/components/channel-credentials-form";
import { DeliveryProblems } from "@/components/channels/delivery-problems";
import { TestWidget } from "@/components/test-widget";
import { WebWidgetSettings } from "@/components/web-widget-settings";
import { serverApi } from "@/lib/server-api";
import { webhookUrl, widgetSnippet } from "@/server/channels/channel-links";
import { env } from "@/server/env";
import { MESSAGING_CHANNELS } from "./messaging-channels";

export const metadata: Metadata = { title: "Channels" };

export default async function ChannelsPage() {
  const api = await serverApi();
  const [tenant, channels, deadLetters] = await Promise.all([api.tenant.current(), api.channels.list(), api.outbox.deadLetters()]);
  const canManage = tenant.role !== "member";
  const appUrl = env().APP_URL;
  const byType = (t: string) => channels.find((c) => c.type === t) ?? null;
  const web = byType("web");
  return (
    <div data-testid="channel-setup">
      <h1>Channels</h1>
      <p className="muted">Where your customers reach your bot. Every channel runs the same published flow.</p>
      {canManage ? null : <p className="muted">Owners and admins change channels; you can see how each one is configured and try the bot.</p>}
      <WebWidgetSettings channel={web} canManage={canManage} snippet={web ? widgetSnippet(appUrl, web.publicKey) : null} />
      <section className="card">
        <h2>Preview</h2>
        <TestWidget />
      </section>
      {MESSAGING_CHANNELS.map((m) => {
        const channel = byType(m.type);
        return <ChannelCredentialsForm key={m.type} {...m} channel={channel} webhookUrl={channel?.webhookPath ? webhookUrl(appUrl, channel.webhookPath) : null} canManage={canManage} />;
      })}
      <DeliveryProblems letters={deadLetters} canManage={canManage} now={new Date()} />
    </div>
  );
}
