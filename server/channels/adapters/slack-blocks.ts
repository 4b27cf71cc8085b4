import type { BotMessage } from "../../flows/bot-message";
import type { CarouselItem } from "../../flows/flow-schema";
import { clip, webLink } from "./web-link";

// Slack's limits: a section's text, a button's label and value, and the blocks of one message.
const SECTION_TEXT_MAX = 3000;
const BUTTON_TEXT_MAX = 75;
const BUTTON_VALUE_MAX = 2000;
const ACTIONS_MAX = 25;
const CAROUSEL_MAX = 10;

/**
 * What a bot, a flow's author or an end user wrote stays text: `<!channel>` or `<@U…>` must not ping anyone,
 * and `<https://evil|bank>` must not become a disguised link (Slack's escaping: only these three characters).
 */
export const slackEscape = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

type Block = Record<string, unknown>;
export type SlackMessage = { text: string; blocks?: Block[] };

const plain = (text: string, max: number) => ({ type: "plain_text", text: clip(text, max), emoji: true });
const section = (mrkdwn: string): Block => ({ type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, SECTION_TEXT_MAX) } });

/** A button whose click comes back (block_actions) as the user saying `value`. */
const replyButton = (actionId: string, label: string, value: string): Block => ({ type: "button", action_id: actionId, text: plain(label, BUTTON_TEXT_MAX), value: value.slice(0, BUTTON_VALUE_MAX) });

function card(item: CarouselItem, index: number): Block {
  const title = `*${slackEscape(item.title)}*${item.subtitle ? `\n${slackEscape(item.subtitle)}` : ""}`;
  const link = webLink(item.payload);
  const accessory = link
    ? { type: "button", action_id: `open_${index}`, text: plain("Open link", BUTTON_TEXT_MAX), url: link }
    : item.payload
      ? replyButton(`choose_${index}`, "Choose", item.payload)
      : undefined;
  return { ...section(title), ...(accessory && { accessory }) };
}

/** A bot message as chat.postMessage's `text` (the notification and fallback) and Block Kit blocks. */
export function slackMessage(message: BotMessage): SlackMessage {
  const text = slackEscape(message.text);
  const head = message.text.trim() ? [section(text)] : [];
  if (message.type === "text" && message.quick_replies?.length) {
    const buttons = message.quick_replies.slice(0, ACTIONS_MAX).map((reply, i) => replyButton(`quick_reply_${i}`, reply, reply));
    return { text, blocks: [...head, { type: "actions", elements: buttons }] };
  }
  if (message.type === "carousel" && message.items.length) {
    const items = message.items.slice(0, CAROUSEL_MAX);
    const fallback = [text, ...items.map((item) => `• ${slackEscape(item.title)}`)].filter(Boolean).join("\n");
    return { text: fallback, blocks: [...head, ...items.map(card)] };
  }
  return { text };
}
