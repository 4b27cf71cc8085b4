import { messengerSettingsSchema } from "../channel-settings";
import type { WebhookChannel } from "../channel-service";
import { messengerEvents } from "./messenger-events";
import { sendMessenger } from "./messenger-send";
import { metaHandshake, verifyMetaSignature } from "./meta-signature";
import type { ChannelAdapter } from "./types";
import { parseWebhookJson } from "./webhook-json";

const settingsOf = (channel: WebhookChannel) => messengerSettingsSchema.parse(channel.settings);

/** Facebook Messenger through a Meta app: the same handshake and X-Hub-Signature-256 as WhatsApp's Cloud API. */
export const messengerAdapter: ChannelAdapter = {
  handshake(req, channel) {
    return metaHandshake(req, channel.secrets.verify_token);
  },

  authenticate(req, channel) {
    verifyMetaSignature(req, channel.secrets.app_secret);
  },

  parse(req, channel) {
    return { events: messengerEvents(parseWebhookJson(req.rawBody), channel, settingsOf(channel).page_id) };
  },

  send(ctx) {
    return sendMessenger(ctx, settingsOf(ctx.channel));
  },
};
