import { z } from "zod";
import { MAX_TEXT_LENGTH, type MessageContent } from "../../pipeline/message-schema";
import type { WebhookChannel } from "../channel-service";
import type { InboundEvent } from "./types";
import { clip, webLink } from "./web-link";

// Only the fields we read; Meta adds fields freely, and zod drops what is not named here.
const attachmentSchema = z.object({
  type: z.string(),
  payload: z.object({ url: z.string().optional(), title: z.string().optional(), coordinates: z.object({ lat: z.number(), long: z.number() }).optional() }).nullish(),
});
const messagingSchema = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number(),
  message: z
    .object({
      mid: z.string().min(1),
      is_echo: z.boolean().optional(),
      text: z.string().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachmentSchema).optional(),
    })
    .optional(),
  postback: z.object({ title: z.string().optional(), payload: z.string().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});
const webhookSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: z.string(), messaging: z.array(z.unknown()).default([]) })).default([]),
});
type Messaging = z.infer<typeof messagingSchema>;

// Messenger names no MIME type or size for an attachment, only a CDN URL; the type is read from its path.
const IMAGE_TYPES = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" } as const;
const FILE_TYPES = { pdf: "application/pdf", txt: "text/plain", csv: "text/csv" } as const;
function extensionOf(url: string): string {
  try {
    return new URL(url).pathname.split(".").pop()?.toLowerCase() ?? "";
  } catch {
    return "";
  }
}

const textContent = (text: string | undefined): MessageContent | null => (text?.trim() ? { type: "text", text: clip(text.trim(), MAX_TEXT_LENGTH) } : null);

function attachmentContent(a: z.infer<typeof attachmentSchema>): MessageContent | null {
  const url = webLink(a.payload?.url);
  if (a.type === "location" && a.payload?.coordinates) {
    const { lat, long } = a.payload.coordinates;
    return { type: "location", latitude: lat, longitude: long, ...(a.payload.title && { name: clip(a.payload.title, 200) }) };
  }
  if (!url) return null;
  const ext = extensionOf(url);
  // A photo from Messenger's CDN is a JPEG unless its path says otherwise.
  if (a.type === "image") return { type: "image", url, mime_type: IMAGE_TYPES[ext as keyof typeof IMAGE_TYPES] ?? "image/jpeg" };
  const fileType = FILE_TYPES[ext as keyof typeof FILE_TYPES];
  if (a.type === "file" && fileType) return { type: "file", url, mime_type: fileType, filename: clip(decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "file"), 255) };
  return null;
}

/** A tap on one of our quick replies says its payload: the option's whole text (the title shown may be cut to 20). */
function contentOf(m: Messaging): MessageContent | null {
  if (m.message) return m.message.quick_reply ? textContent(m.message.quick_reply.payload) : (textContent(m.message.text) ?? attachmentContent(m.message.attachments?.[0] ?? { type: "none" }));
  return textContent(m.postback?.title ?? m.postback?.payload);
}

function eventsOf(m: Messaging, channel: WebhookChannel, pageId: string): InboundEvent[] {
  const psid = m.sender.id;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (m.delivery?.mids?.length) {
    const at = iso(m.delivery.watermark);
    return m.delivery.mids.map((mid) => ({ kind: "status", externalId: `delivered:${mid}`, update: { channelId: channel.id, providerMessageId: mid, status: "delivered", at } }));
  }
  const mark = m.read ? { status: "read" as const, watermark: m.read.watermark } : m.delivery ? { status: "delivered" as const, watermark: m.delivery.watermark } : null;
  if (mark) {
    const watermark = { channelId: channel.id, recipient: psid, status: mark.status, before: iso(mark.watermark) };
    return [{ kind: "watermark", externalId: `watermark:${psid}:${mark.status}:${mark.watermark}`, watermark }];
  }
  // Echoes are the page's own sends (ours, or a person's from the Page inbox): never answered.
  if (m.message?.is_echo || (!m.message && !m.postback)) return [];
  const content = contentOf(m);
  if (!content) return [];
  return [
    {
      kind: "message",
      externalId: m.message ? m.message.mid : `postback:${psid}:${m.timestamp}`,
      userId: `fb:${psid}`,
      content,
      channelMetadata: { psid, page_id: pageId, ...(m.postback?.payload && { postback_payload: m.postback.payload }) },
      address: { channel_id: channel.id, recipient: psid },
      sentAt: iso(m.timestamp),
    },
  ];
}

/**
 * The events of a Messenger webhook (object "page", entry[].messaging[]): messages and postbacks, delivery
 * receipts (per message id when Meta names them) and delivery/read watermarks. An entry for another page
 * than the channel's is ignored: one Meta app may be subscribed for several pages.
 */
export function messengerEvents(json: unknown, channel: WebhookChannel, pageId: string): InboundEvent[] {
  const body = webhookSchema.parse(json);
  if (body.object !== "page") return [];
  return body.entry
    .filter((entry) => entry.id === pageId)
    .flatMap((entry) =>
      entry.messaging.flatMap((raw) => {
        const m = messagingSchema.safeParse(raw);
        return m.success ? eventsOf(m.data, channel, pageId) : [];
      }),
    );
}
