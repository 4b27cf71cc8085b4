import { z } from "zod";
import { whatsappSettingsSchema } from "../channel-settings";
import type { WebhookChannel } from "../channel-service";
import { metaHandshake, verifyMetaSignature } from "./meta-signature";
import type { ChannelAdapter } from "./types";
import { bridgeEvents, sendBridge, verifyBridgeSignature } from "./whatsapp-bridge";
import { cloudEvents } from "./whatsapp-cloud-events";
import { sendCloud } from "./whatsapp-cloud-send";
import { parseWebhookJson } from "./webhook-json";

// The API base URL was checked against the SSRF guard when saved, and every call is guarded again
// (safe-http), so reading settings back skips the save-time check: an operator narrowing
// OUTBOUND_ALLOWED_HOSTS makes sends fail as blocked, not the channel unreadable.
const storedSettingsSchema = whatsappSettingsSchema.extend({ api_base_url: z.string().trim().url() });
const settingsOf = (channel: WebhookChannel) => storedSettingsSchema.parse(channel.settings);

/** WhatsApp in either mode (settings.mode): Meta's Cloud API, or a self-hosted bridge in the bridge format. */
export const whatsappAdapter: ChannelAdapter = {
  handshake(req, channel) {
    // Bridges have no subscription handshake.
    return settingsOf(channel).mode === "cloud" ? metaHandshake(req, channel.secrets.verify_token) : null;
  },

  authenticate(req, channel) {
    if (settingsOf(channel).mode === "cloud") verifyMetaSignature(req, channel.secrets.app_secret);
    else verifyBridgeSignature(req, channel);
  },

  parse(req, channel) {
    const settings = settingsOf(channel);
    const json = parseWebhookJson(req.rawBody);
    return { events: settings.mode === "cloud" ? cloudEvents(json, channel, settings, req.now) : bridgeEvents(json, channel, req.now) };
  },

  send(ctx) {
    const settings = settingsOf(ctx.channel);
    return settings.mode === "cloud" ? sendCloud(ctx, settings) : sendBridge(ctx, settings);
  },
};
