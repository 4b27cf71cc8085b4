import { z } from "zod";
import { CHANNEL_TYPES } from "@/db/schema";
import type { DeliveryAddress } from "../channels/delivery-address";
import { storable, storableJsonObject } from "../http/text";

export const MAX_TEXT_LENGTH = 4000;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** channel_metadata is stored whole with the message, so it is capped by its serialized size. */
export const MAX_METADATA_BYTES = 64 * 1024;
export const ALLOWED_ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain", "text/csv"] as const;

const httpsUrl = storable(z.url({ protocol: /^https?$/, error: "Attachment URL must be a web address starting with http:// or https://" }).meta({ title: "Attachment URL" }));

const attachment = {
  url: httpsUrl,
  mime_type: z.enum(ALLOWED_ATTACHMENT_TYPES).meta({ title: "MIME type" }),
  // Optional: a platform's webhook may not say (WhatsApp's names a media object, whose size is fetched separately).
  size_bytes: z.number().meta({ title: "Size in bytes" }).int().positive().max(MAX_ATTACHMENT_BYTES, `Size in bytes must be at most ${MAX_ATTACHMENT_BYTES} (${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB)`).optional(),
  caption: storable(z.string().max(1000).meta({ title: "Caption" })).optional(),
};

export const messageContentSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text"), text: storable(z.string().meta({ title: "Text" }).trim().min(1).max(MAX_TEXT_LENGTH)) }),
    z.object({
      type: z.literal("image"),
      ...attachment,
      mime_type: z.enum(["image/png", "image/jpeg", "image/gif", "image/webp"]).meta({ title: "MIME type" }),
      // The uploaded file's name: the widget's alt text and the transcript's label.
      filename: storable(z.string().min(1).max(255).meta({ title: "File name" })).optional(),
    }),
    z.object({ type: z.literal("file"), ...attachment, filename: storable(z.string().min(1).max(255).meta({ title: "File name" })) }),
    z.object({
      type: z.literal("location"),
      latitude: z.number().min(-90).max(90).meta({ title: "Latitude" }),
      longitude: z.number().min(-180).max(180).meta({ title: "Longitude" }),
      name: storable(z.string().max(200).meta({ title: "Place name" })).optional(),
    }),
  ],
).meta({ title: "Content" });
export type MessageContent = z.infer<typeof messageContentSchema>;

/** A client's message id (body or Idempotency-Key); shared by the REST API and the widget. */
export const messageIdSchema = storable(z.string().meta({ title: "Message ID" }).trim().min(1).max(200));

export const inboundMessageSchema = z.object({
  message_id: messageIdSchema.optional(),
  conversation_id: z.uuid().meta({ title: "Conversation ID" }).optional(),
  user_id: storable(z.string().meta({ title: "User ID" }).trim().min(1).max(200)),
  session_id: storable(z.string().max(200).meta({ title: "Session ID" })).optional(),
  channel: z.enum(CHANNEL_TYPES).meta({ title: "Channel" }),
  content: messageContentSchema,
  channel_metadata: storableJsonObject(MAX_METADATA_BYTES).meta({ title: "Channel metadata" }).optional(),
});

export type InboundMessage = z.infer<typeof inboundMessageSchema> & {
  /**
   * Set by the entry point, never read from a body (the schema strips it). The REST API may continue its
   * end user's conversation on any channel; the widget only its visitor's conversations on its own channel.
   */
  sameChannelOnly?: boolean;
  /** Set by the entry point: a visitor asked for a new conversation, so none is continued (the live flow version starts). */
  startNew?: boolean;
  /** Set by the dashboard's test widget: the conversation is listed in the inbox but never counted in analytics. */
  sandbox?: boolean;
  /** Set by a messaging-channel webhook: the replies are written to the outbox for this address, in the turn's own write. */
  delivery?: DeliveryAddress;
};
