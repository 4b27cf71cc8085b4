import { z } from "zod";
import type { BotMessage } from "../../flows/bot-message";
import type { WhatsappSettings } from "../channel-settings";
import { graphDeliveryError, WINDOW_CLOSED_REASON } from "./graph-errors";
import { jsonBody, postJson } from "./platform-http";
import { DeliveryError, type SendContext, type SendResult } from "./types";
import { clip } from "./web-link";
import { MAX_WHATSAPP_TEXT, plainText } from "./whatsapp-text";

/** The customer-service window: free-form messages only within 24 hours of the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_BUTTONS = 3;
const MAX_LIST_ROWS = 10;
const MAX_BUTTON_TITLE = 20;
const MAX_ROW_TITLE = 24;
const MAX_INTERACTIVE_BODY = 1024;
const MAX_REPLY_ID = 256;

const sendResponseSchema = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });

// The id comes back with a tap (channel_metadata.reply_id); the index keeps ids unique when titles are cut alike.
const replyId = (option: string, i: number) => clip(`${i + 1}:${option}`, MAX_REPLY_ID);

/**
 * The Cloud API message for a bot message: quick replies as reply buttons (up to 3) or a list (up to 10),
 * more as numbered text; carousels and handoffs as text (plainText).
 */
export function cloudMessage(message: BotMessage): Record<string, unknown> {
  const options = message.type === "text" ? (message.quick_replies ?? []) : [];
  const body = { text: clip(message.text.trim() || "Please choose:", MAX_INTERACTIVE_BODY) };
  if (options.length >= 1 && options.length <= MAX_BUTTONS) {
    const buttons = options.map((o, i) => ({ type: "reply", reply: { id: replyId(o, i), title: clip(o, MAX_BUTTON_TITLE) } }));
    return { type: "interactive", interactive: { type: "button", body, action: { buttons } } };
  }
  if (options.length > MAX_BUTTONS && options.length <= MAX_LIST_ROWS) {
    const rows = options.map((o, i) => ({ id: replyId(o, i), title: clip(o, MAX_ROW_TITLE) }));
    return { type: "interactive", interactive: { type: "list", body, action: { button: "Choose", sections: [{ rows }] } } };
  }
  return { type: "text", text: { preview_url: false, body: clip(plainText(message), MAX_WHATSAPP_TEXT) } };
}

/** Sends one reply with the Cloud API: POST {api_base_url}/{phone_number_id}/messages with the channel's token. */
export async function sendCloud(ctx: SendContext, settings: WhatsappSettings): Promise<SendResult> {
  if (!ctx.lastInboundAt || ctx.now.getTime() - ctx.lastInboundAt.getTime() > SERVICE_WINDOW_MS) {
    throw new DeliveryError("permanent", "window_closed", WINDOW_CLOSED_REASON);
  }
  const token = ctx.channel.secrets.access_token;
  if (!token || !settings.phone_number_id) throw new DeliveryError("permanent", "not_configured", "The channel has no access token or phone number ID.");
  const url = `${settings.api_base_url.replace(/\/$/, "")}/${encodeURIComponent(settings.phone_number_id)}/messages`;
  const body = { messaging_product: "whatsapp", recipient_type: "individual", to: ctx.address.recipient, ...cloudMessage(ctx.message) };
  const res = await postJson(url, { authorization: `Bearer ${token}` }, body, ctx.signal);
  if (res.status < 200 || res.status >= 300) throw graphDeliveryError(res, ctx.now.getTime());
  const answer = sendResponseSchema.safeParse(jsonBody(res));
  // Accepted without an id: sending again could deliver it twice, so it is not retried.
  if (!answer.success) throw new DeliveryError("permanent", "no_message_id", "WhatsApp accepted the message but returned no message id.");
  return { providerMessageId: answer.data.messages[0]!.id };
}
