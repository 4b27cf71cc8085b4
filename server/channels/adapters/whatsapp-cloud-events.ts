import { z } from "zod";
import { MAX_TEXT_LENGTH, type MessageContent } from "../../pipeline/message-schema";
import type { WebhookChannel } from "../channel-service";
import type { WhatsappSettings } from "../channel-settings";
import type { InboundEvent, InboundMessageEvent, InboundStatusEvent } from "./types";
import { clip } from "./web-link";

// Only the fields we read; Meta adds fields freely, and zod drops what is not named here.
const reply = z.object({ id: z.string(), title: z.string() });
const messageSchema = z.object({
  id: z.string().min(1),
  from: z.string().min(1),
  timestamp: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: z.object({ id: z.string(), mime_type: z.string(), caption: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  interactive: z.object({ type: z.string(), button_reply: reply.optional(), list_reply: reply.optional() }).optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
});
const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});
const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  contacts: z.array(z.object({ wa_id: z.string().optional(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});
const webhookSchema = z.object({ entry: z.array(z.object({ changes: z.array(z.object({ value: z.unknown() })).default([]) })).default([]) });

type WaMessage = z.infer<typeof messageSchema>;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
const STATUSES = ["sent", "delivered", "read", "failed"] as const;

const isoOf = (unixSeconds: string, fallback: Date) => {
  const seconds = Number(unixSeconds);
  return (Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback).toISOString();
};

/** The message as our content, with what the platform adds for the dashboard; null for types we do not read (stickers, audio, reactions…). */
function contentOf(m: WaMessage, settings: WhatsappSettings): { content: MessageContent; metadata: Record<string, unknown> } | null {
  const text = (value: string) => (value.trim() ? { type: "text" as const, text: clip(value.trim(), MAX_TEXT_LENGTH) } : null);
  if (m.type === "text" && m.text) {
    const content = text(m.text.body);
    return content && { content, metadata: {} };
  }
  if (m.type === "image" && m.image) {
    const mime = IMAGE_TYPES.find((t) => t === m.image!.mime_type.split(";")[0]!.trim());
    if (!mime) return null;
    // The Graph media object (fetched with the channel's token) is where the bytes are; its id is kept too.
    const url = `${settings.api_base_url.replace(/\/$/, "")}/${encodeURIComponent(m.image.id)}`;
    return { content: { type: "image", url, mime_type: mime, ...(m.image.caption && { caption: clip(m.image.caption, 1000) }) }, metadata: { media_id: m.image.id } };
  }
  if (m.type === "location" && m.location) {
    const { latitude, longitude, name, address } = m.location;
    return { content: { type: "location", latitude, longitude, ...(name && { name: clip(name, 200) }) }, metadata: address ? { address } : {} };
  }
  if (m.type === "interactive" && m.interactive) {
    const chosen = m.interactive.button_reply ?? m.interactive.list_reply;
    const content = chosen && text(chosen.title);
    return content ? { content, metadata: { reply_id: chosen.id } } : null;
  }
  if (m.type === "button" && m.button) {
    const content = text(m.button.text);
    return content && { content, metadata: m.button.payload ? { reply_id: m.button.payload } : {} };
  }
  return null;
}

function messageEvent(m: WaMessage, names: Map<string, string>, channel: WebhookChannel, settings: WhatsappSettings, now: Date): InboundMessageEvent | null {
  const parsed = contentOf(m, settings);
  if (!parsed) {
    console.info(`[webhook] whatsapp ${channel.id}: ignored a message of type ${m.type}`);
    return null;
  }
  const name = names.get(m.from);
  return {
    kind: "message",
    externalId: m.id,
    userId: `wa:${m.from}`,
    content: parsed.content,
    channelMetadata: { phone_number: m.from, ...(name && { user_name: name }), ...parsed.metadata },
    address: { channel_id: channel.id, recipient: m.from },
    sentAt: isoOf(m.timestamp, now),
  };
}

function statusEvent(s: z.infer<typeof statusSchema>, channel: WebhookChannel, now: Date): InboundStatusEvent | null {
  const status = STATUSES.find((v) => v === s.status);
  if (!status) return null;
  const error = s.errors?.[0];
  const reason = error && [error.title ?? error.message, error.code !== undefined ? `(${error.code})` : undefined].filter(Boolean).join(" ");
  return {
    kind: "status",
    externalId: `status:${s.id}:${status}`,
    update: { channelId: channel.id, providerMessageId: s.id, status, at: isoOf(s.timestamp, now), ...(status === "failed" && reason && { reason }) },
  };
}

/**
 * The events of a Cloud API webhook (entry[].changes[].value): messages and statuses. A change for another
 * phone number than the channel's is ignored: a Meta app subscribed for several numbers posts them all here.
 */
export function cloudEvents(json: unknown, channel: WebhookChannel, settings: WhatsappSettings, now: Date): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (const entry of webhookSchema.parse(json).entry) {
    for (const change of entry.changes) {
      const value = valueSchema.safeParse(change.value);
      if (!value.success) continue;
      const numberId = value.data.metadata?.phone_number_id;
      if (numberId !== settings.phone_number_id) {
        console.info(`[webhook] whatsapp ${channel.id}: ignored a change for phone number id ${numberId ?? "(none)"}`);
        continue;
      }
      const names = new Map(value.data.contacts?.flatMap((c) => (c.wa_id && c.profile?.name ? [[c.wa_id, c.profile.name] as const] : [])));
      for (const raw of value.data.messages ?? []) {
        const m = messageSchema.safeParse(raw);
        const event = m.success ? messageEvent(m.data, names, channel, settings, now) : null;
        if (event) events.push(event);
      }
      for (const raw of value.data.statuses ?? []) {
        const s = statusSchema.safeParse(raw);
        const event = s.success ? statusEvent(s.data, channel, now) : null;
        if (event) events.push(event);
      }
    }
  }
  return events;
}
