import type { ChannelType } from "@/db/schema";

/** live: answers customers; off: turned off; unverified: a messaging channel whose webhook the platform has not verified. */
export type ChannelStatus = { state: "live" | "off" | "unverified"; label: string };

// A platform proves it reaches the webhook by verifying it; until then nothing is received from it.
const WEBHOOK_PENDING = "give the platform the webhook URL shown below; it connects once the platform verifies the webhook.";

/**
 * Whether a channel answers customers, in words, computed once for the dashboard and the CLI. A messaging
 * channel is connected only after its platform verified the webhook: saved credentials prove nothing.
 */
export function channelStatus(channel: { type: ChannelType; enabled: boolean; webhookVerifiedAt: Date | null }): ChannelStatus {
  if (channel.type === "web") return channel.enabled ? { state: "live", label: "On: the widget answers on your site" } : { state: "off", label: "Off" };
  if (!channel.webhookVerifiedAt) return { state: "unverified", label: "Not connected: webhook not verified" };
  return channel.enabled ? { state: "live", label: "Connected: webhook verified" } : { state: "off", label: "Off: webhook verified, replies turned off" };
}

/** What the dashboard says after a messaging channel's form is saved. */
export function savedNotice(title: string, status: ChannelStatus): string {
  if (status.state === "live") return `Saved. ${title} is connected.`;
  if (status.state === "off") return `Saved. ${title} is turned off.`;
  return `Credentials saved. ${title} is not connected yet: ${WEBHOOK_PENDING}`;
}
