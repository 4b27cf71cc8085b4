import { z } from "zod";
import type { BotMessage } from "../../flows/bot-message";
import type { SafeResponse } from "../../security/safe-http";
import type { MessengerSettings } from "../channel-settings";
import { graphDeliveryError } from "./graph-errors";
import { jsonBody, postJson } from "./platform-http";
import { DeliveryError, type SendContext, type SendResult } from "./types";
import { clip, webLink } from "./web-link";

/** Messenger's standard messaging window: a page may answer freely within 24 hours of the person's last message. */
export const MESSENGER_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MESSENGER_WINDOW_CLOSED_REASON = "Outside Messenger's 24-hour standard messaging window; the person must write to the page first.";
// The Send API's limits.
const MAX_TEXT = 2000;
const MAX_QUICK_REPLIES = 13;
const MAX_QUICK_REPLY_TITLE = 20;
const MAX_PAYLOAD = 1000;
const MAX_ELEMENTS = 10;
const MAX_ELEMENT_TEXT = 80;

const sendAnswerSchema = z.object({ message_id: z.string().min(1) });
const graphErrorSchema = z.object({ error: z.object({ code: z.number(), error_subcode: z.number().optional() }) });

/** A bot message as Send API `message` objects, in order: a carousel's text, when it has one, goes before its cards. */
export function messengerMessages(message: BotMessage): Record<string, unknown>[] {
  const text = clip(message.text.trim(), MAX_TEXT);
  if (message.type === "text" && message.quick_replies?.length) {
    // The payload carries the whole option, so a tap says it even when the title shown is cut.
    const quickReplies = message.quick_replies.slice(0, MAX_QUICK_REPLIES).map((o) => ({ content_type: "text", title: clip(o, MAX_QUICK_REPLY_TITLE), payload: clip(o, MAX_PAYLOAD) }));
    return [{ text: text || "Please choose:", quick_replies: quickReplies }];
  }
  if (message.type === "carousel" && message.items.length) {
    const elements = message.items.slice(0, MAX_ELEMENTS).map((item) => {
      const image = webLink(item.image_url);
      const link = webLink(item.payload);
      return {
        title: clip(item.title, MAX_ELEMENT_TEXT),
        ...(item.subtitle && { subtitle: clip(item.subtitle, MAX_ELEMENT_TEXT) }),
        ...(image && { image_url: image }),
        ...(link && { buttons: [{ type: "web_url", url: link, title: "Open link" }] }),
      };
    });
    const cards = { attachment: { type: "template", payload: { template_type: "generic", elements } } };
    return text ? [{ text }, cards] : [cards];
  }
  return [{ text }];
}

/**
 * A refused send as a DeliveryError: Meta's "sent outside of allowed window" (code 10, subcode 2018278) in
 * Messenger's words, everything else as any Graph API refusal (throttling retried; token, recipient permanent).
 */
export function messengerSendError(res: SafeResponse, now: number): DeliveryError {
  const parsed = graphErrorSchema.safeParse(jsonBody(res));
  if (parsed.success && parsed.data.error.code === 10 && parsed.data.error.error_subcode === 2018278) return new DeliveryError("permanent", "window_closed", MESSENGER_WINDOW_CLOSED_REASON);
  return graphDeliveryError(res, now);
}

/**
 * Sends one reply with the Send API: POST {api_base_url}/{page_id}/messages with the page access token.
 * A carousel with text is two sends (the Send API takes text or a template, not both); the cards' id is
 * the one kept, so their delivery receipt is the reply's.
 */
export async function sendMessenger(ctx: SendContext, settings: MessengerSettings): Promise<SendResult> {
  if (!ctx.lastInboundAt || ctx.now.getTime() - ctx.lastInboundAt.getTime() > MESSENGER_WINDOW_MS) {
    throw new DeliveryError("permanent", "window_closed", MESSENGER_WINDOW_CLOSED_REASON);
  }
  const token = ctx.channel.secrets.page_access_token;
  if (!token) throw new DeliveryError("permanent", "not_configured", "The Messenger channel has no page access token; save it on the channel's page.");
  const url = `${settings.api_base_url.replace(/\/$/, "")}/${encodeURIComponent(settings.page_id)}/messages`;
  let result: SendResult | null = null;
  for (const message of messengerMessages(ctx.message)) {
    const res = await postJson(url, { authorization: `Bearer ${token}` }, { recipient: { id: ctx.address.recipient }, messaging_type: "RESPONSE", message }, ctx.signal);
    if (res.status < 200 || res.status >= 300) throw messengerSendError(res, ctx.now.getTime());
    const answer = sendAnswerSchema.safeParse(jsonBody(res));
    // Accepted without an id: sending again could deliver it twice, so it is not retried.
    if (!answer.success) throw new DeliveryError("permanent", "no_message_id", "Messenger accepted the message but returned no message id.");
    result = { providerMessageId: answer.data.message_id };
  }
  return result!;
}
