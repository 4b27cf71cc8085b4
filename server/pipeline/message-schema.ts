import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";
import { storable, storableJsonObject } from "../http/text";

export const MAX_TEXT_LENGTH = 4000;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** channel_metadata is stored whole with the message, so it is capped by its serialized size. */
export const MAX_METADATA_BYTES = 64 * 1024;
export const ALLOWED_ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv"] as const;

const httpsUrl = storable(z.url({ protocol: /^https?$/, error: "Must be an http(s) URL" }));

const attachment = {
  url: httpsUrl,
  mime_type: z.enum(ALLOWED_ATTACHMENT_TYPES, { error: `Allowed types: ${ALLOWED_ATTACHMENT_TYPES.join(", ")}` }),
  size_bytes: z.number().int().positive().max(MAX_ATTACHMENT_BYTES, `Attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
  caption: storable(z.string().max(1000)).optional(),
};

export const messageContentSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text"), text: storable(z.string({ error: "Text is required for text messages" }).trim().min(1, "Text is required for text messages").max(MAX_TEXT_LENGTH)) }),
    z.object({ type: z.literal("image"), ...attachment, mime_type: z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"], { error: "Images must be PNG, JPEG, GIF or WebP" }) }),
    z.object({ type: z.literal("file"), ...attachment, filename: storable(z.string().min(1).max(255)) }),
    z.object({ type: z.literal("location"), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: storable(z.string().max(200)).optional() }),
  ],
  { error: "Unknown content type: use text, image, file or location" },
);
export type MessageContent = z.infer<typeof messageContentSchema>;

/** A client's message id (body or Idempotency-Key); shared by the REST API and the widget. */
export const messageIdSchema = storable(z.string().trim().min(1).max(200));

export const inboundMessageSchema = z.object({
  message_id: messageIdSchema.optional(),
  conversation_id: z.uuid("conversation_id must be a UUID").optional(),
  user_id: storable(z.string({ error: "user_id is required" }).trim().min(1, "user_id is required").max(200)),
  session_id: storable(z.string().max(200)).optional(),
  channel: z.enum(CHANNEL_TYPES, { error: `Unknown channel: use ${CHANNEL_TYPES.join(", ")}` }),
  content: messageContentSchema,
  channel_metadata: storableJsonObject(MAX_METADATA_BYTES).optional(),
});

export type InboundMessage = z.infer<typeof inboundMessageSchema> & {
  /**
   * Set by the entry point, never read from a body (the schema strips it). The REST API may continue its
   * end user's conversation on any channel; the widget only its visitor's conversations on its own channel.
   */
  sameChannelOnly?: boolean;
};
