import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";

export const MAX_TEXT_LENGTH = 4000;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const ALLOWED_ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv"] as const;

const httpsUrl = z.url({ protocol: /^https?$/, error: "Must be an http(s) URL" });

const attachment = {
  url: httpsUrl,
  mime_type: z.enum(ALLOWED_ATTACHMENT_TYPES, { error: `Allowed types: ${ALLOWED_ATTACHMENT_TYPES.join(", ")}` }),
  size_bytes: z.number().int().positive().max(MAX_ATTACHMENT_BYTES, `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
  caption: z.string().max(1000).optional(),
};

export const messageContentSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text"), text: z.string({ error: "Text is required for text messages" }).trim().min(1, "Text is required for text messages").max(MAX_TEXT_LENGTH) }),
    z.object({ type: z.literal("image"), ...attachment, mime_type: z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"], { error: "Images must be PNG, JPEG, GIF or WebP" }) }),
    z.object({ type: z.literal("file"), ...attachment, filename: z.string().min(1).max(255) }),
    z.object({ type: z.literal("location"), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: z.string().max(200).optional() }),
  ],
  { error: "Unknown content type: use text, image, file or location" },
);
export type MessageContent = z.infer<typeof messageContentSchema>;

export const inboundMessageSchema = z.object({
  message_id: z.string().trim().min(1).max(200).optional(),
  conversation_id: z.uuid("conversation_id must be a UUID").optional(),
  user_id: z.string({ error: "user_id is required" }).trim().min(1, "user_id is required").max(200),
  session_id: z.string().max(200).optional(),
  channel: z.enum(CHANNEL_TYPES, { error: `Unknown channel: use ${CHANNEL_TYPES.join(", ")}` }),
  content: messageContentSchema,
  channel_metadata: z.record(z.string(), z.unknown()).optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
