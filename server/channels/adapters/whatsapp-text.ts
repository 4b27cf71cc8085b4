import type { BotMessage } from "../../flows/bot-message";
import { clip, webLink } from "./web-link";

/** WhatsApp's longest text body. */
export const MAX_WHATSAPP_TEXT = 4096;

const numbered = (options: string[]) => options.map((o, i) => `${i + 1}. ${o}`).join("\n");

/**
 * A bot message as one plain WhatsApp text: quick replies as numbered lines (the user may answer with the
 * option's words), carousel items as title, subtitle and link lines (web links only). One platform request
 * per reply keeps a retried send from repeating half of a message.
 */
export function plainText(message: BotMessage): string {
  const parts = [message.text.trim()];
  if (message.type === "text" && message.quick_replies?.length) parts.push(numbered(message.quick_replies));
  if (message.type === "carousel") {
    for (const item of message.items) parts.push([`• ${item.title}`, item.subtitle, webLink(item.payload)].filter(Boolean).join("\n"));
  }
  return clip(parts.filter(Boolean).join("\n\n"), MAX_WHATSAPP_TEXT);
}
