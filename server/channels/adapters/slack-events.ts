import { z } from "zod";
import { MAX_TEXT_LENGTH, type MessageContent } from "../../pipeline/message-schema";
import type { InboundMessageEvent } from "./types";
import { clip, webLink } from "./web-link";

/** Where an event came from, as far as our reply and the end user's identity need it. */
type SlackOrigin = { teamId: string; channelId: string; userId: string; ts: string; threadId: string | undefined };

const fileSchema = z.object({ name: z.string().optional(), mimetype: z.string().optional(), size: z.number().optional(), url_private: z.string().optional() });
const messageEventSchema = z.object({
  type: z.enum(["message", "app_mention"]),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  files: z.array(fileSchema).optional(),
});
const eventCallbackSchema = z.object({
  type: z.literal("event_callback"),
  team_id: z.string(),
  event_id: z.string(),
  authorizations: z.array(z.object({ user_id: z.string().optional() })).optional(),
  event: z.looseObject({ type: z.string() }),
});
export const urlVerificationSchema = z.object({ type: z.literal("url_verification"), challenge: z.string().max(500) });

/** A button click from the Interactivity URL (form field `payload`); only buttons we sent carry a value. */
const blockActionsSchema = z.object({
  type: z.literal("block_actions"),
  team: z.object({ id: z.string() }),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }),
  container: z.object({ thread_ts: z.string().optional(), message_ts: z.string().optional() }).optional(),
  message: z.object({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ value: z.string().optional(), action_ts: z.string() })),
});

// Slack files stay behind the bot token (url_private); the message keeps the reference, typed as we store attachments.
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
const FILE_TYPES = ["application/pdf", "text/plain", "text/csv"] as const;
const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T => (list as readonly string[]).includes(value ?? "");

function fileContent(file: z.infer<typeof fileSchema>, caption: string | undefined): MessageContent | null {
  const url = webLink(file.url_private);
  if (!url) return null;
  const common = { url, ...(file.size && { size_bytes: file.size }), ...(caption && { caption: clip(caption, 1000) }) };
  if (isOneOf(IMAGE_TYPES, file.mimetype)) return { type: "image", mime_type: file.mimetype, ...common };
  if (isOneOf(FILE_TYPES, file.mimetype)) return { type: "file", mime_type: file.mimetype, filename: clip(file.name || "file", 255), ...common };
  return null;
}

const textContent = (text: string | undefined): MessageContent | null => {
  const trimmed = text?.trim();
  return trimmed ? { type: "text", text: clip(trimmed, MAX_TEXT_LENGTH) } : null;
};

/** Slack timestamps are "seconds.micros" strings, which also serve as message ids. */
const slackTsToIso = (ts: string): string => new Date(Math.round(Number(ts) * 1000)).toISOString();

function messageEvent(externalId: string, origin: SlackOrigin, content: MessageContent, channelDbId: string): InboundMessageEvent {
  const { threadId } = origin;
  return {
    kind: "message",
    externalId,
    userId: `slack:${origin.teamId}:${origin.userId}`,
    content,
    channelMetadata: { slack_channel: origin.channelId, slack_user: origin.userId, team_id: origin.teamId },
    address: { channel_id: channelDbId, recipient: origin.channelId, ...(threadId && { thread_id: threadId }) },
    sentAt: slackTsToIso(origin.ts),
  };
}

/** An app installed in several workspaces shares one signing secret; a channel set to one team answers only that team. */
const sameTeam = (configured: string | undefined, actual: string) => !configured || configured === actual;

// Slack user ids are letters and digits; anything else in a body is dropped before it reaches a pattern.
const mentionOf = (userId: string) => new RegExp(`<@${userId.replace(/[^A-Za-z0-9]/g, "")}(\\|[^>]*)?>`, "g");
const LEADING_MENTION = /^\s*<@[A-Z0-9]+(\|[^>]*)?>/;

/**
 * The end user's message in an Events API callback, or null for what the bot must not answer: its own and
 * other bots' messages, edits, deletions, joins and every other event type.
 */
export function eventCallbackMessage(body: unknown, channelDbId: string, team: string | undefined): InboundMessageEvent | null {
  const callback = eventCallbackSchema.safeParse(body);
  if (!callback.success || !sameTeam(team, callback.data.team_id)) return null;
  const event = messageEventSchema.safeParse(callback.data.event);
  if (!event.success) return null;
  const e = event.data;
  const botUserId = callback.data.authorizations?.[0]?.user_id;
  if (e.bot_id || !e.user || e.user === botUserId) return null;
  if (e.subtype !== undefined && e.subtype !== "file_share") return null;
  const text = e.type === "app_mention" ? e.text?.replace(botUserId ? mentionOf(botUserId) : LEADING_MENTION, "") : e.text;
  const file = e.files?.[0];
  const content = (file && fileContent(file, text?.trim())) || textContent(text);
  if (!content) return null;
  // In a channel the bot answers in the message's thread; in a direct message only when the user wrote in one.
  const threadId = e.thread_ts ?? (e.channel_type === "im" ? undefined : e.ts);
  const origin = { teamId: callback.data.team_id, channelId: e.channel, userId: e.user, ts: e.ts, threadId };
  // A mention in a channel the bot is in arrives twice (message and app_mention, two event ids); the
  // message's own channel and ts name it once, and Slack's retries (X-Slack-Retry-Num) carry the same.
  return messageEvent(`${e.channel}:${e.ts}`, origin, content, channelDbId);
}

/** A click on a quick-reply or carousel button we sent: the button's value, said by the user who clicked. */
export function blockActionsMessage(payload: unknown, channelDbId: string, team: string | undefined): InboundMessageEvent | null {
  const parsed = blockActionsSchema.safeParse(payload);
  if (!parsed.success || !sameTeam(team, parsed.data.team.id)) return null;
  const p = parsed.data;
  const action = p.actions.find((a) => a.value);
  const content = textContent(action?.value);
  if (!action || !content) return null;
  // The clicked message is the bot's reply: answer in its thread, never open a new one under it.
  const threadId = p.container?.thread_ts ?? p.message?.thread_ts;
  const origin = { teamId: p.team.id, channelId: p.channel.id, userId: p.user.id, ts: action.action_ts, threadId };
  return messageEvent(`action:${p.channel.id}:${p.user.id}:${action.action_ts}`, origin, content, channelDbId);
}
