import { slackSecretsSchema, slackSettingsSchema } from "../channel-settings";
import type { WebhookChannel } from "../channel-service";
import { slackMessage } from "./slack-blocks";
import { blockActionsMessage, eventCallbackMessage, urlVerificationSchema } from "./slack-events";
import { postSlackMessage } from "./slack-send";
import { verifySlackSignature } from "./slack-signature";
import { parseWebhookJson } from "./webhook-json";
import { DeliveryError, type ChannelAdapter, type WebhookRequest } from "./types";

const settingsOf = (channel: WebhookChannel) => slackSettingsSchema.parse(channel.settings);

/** The body as JSON: Events API callbacks are JSON, button clicks (Interactivity URL) a form with a `payload` field. */
function bodyOf(req: WebhookRequest): { json: unknown; interactive: boolean } {
  const interactive = req.headers.get("content-type")?.startsWith("application/x-www-form-urlencoded") ?? false;
  return { json: parseWebhookJson(interactive ? (new URLSearchParams(req.rawBody).get("payload") ?? "") : req.rawBody), interactive };
}

/**
 * Slack's Events API and Interactivity (both pointed at the channel's webhook URL, signed alike). The
 * handler only stores what parse returns, well inside Slack's 3-second ack; the turn runs from the inbox.
 */
export const slackAdapter: ChannelAdapter = {
  authenticate(req, channel) {
    verifySlackSignature(req, channel.secrets.signing_secret);
  },

  parse(req, channel) {
    const { json, interactive } = bodyOf(req);
    const verification = urlVerificationSchema.safeParse(json);
    if (!interactive && verification.success) return { events: [], reply: Response.json({ challenge: verification.data.challenge }) };
    const team = settingsOf(channel).team_id;
    const event = interactive ? blockActionsMessage(json, channel.id, team) : eventCallbackMessage(json, channel.id, team);
    return { events: event ? [event] : [] };
  },

  async send(ctx) {
    const secrets = slackSecretsSchema.safeParse(ctx.channel.secrets);
    if (!secrets.success) throw new DeliveryError("permanent", "not_configured", "The Slack channel has no bot token; save it on the channel's page.");
    return postSlackMessage({
      apiBaseUrl: settingsOf(ctx.channel).api_base_url,
      botToken: secrets.data.bot_token,
      channel: ctx.address.recipient,
      threadTs: ctx.address.thread_id,
      message: slackMessage(ctx.message),
      signal: ctx.signal,
    });
  },
};
