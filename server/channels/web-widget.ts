import { z } from "zod";
import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { storable } from "../http/text";
import { botMessageSchema } from "../flows/bot-message";
import { MAX_TEXT_LENGTH, messageIdSchema } from "../pipeline/message-schema";
import { findWebChannelByPublicKey } from "./channel-service";
import { webSettingsSchema, type WebSettings } from "./channel-settings";

export const widgetMessageSchema = z.object({
  visitor_id: storable(z.string().trim().min(8).max(100).meta({ title: "Visitor ID" })),
  conversation_id: z.uuid().optional(),
  message_id: messageIdSchema.optional(),
  text: storable(z.string().trim().min(1).max(MAX_TEXT_LENGTH).meta({ title: "Message" })),
  /** Sent by the widget's "New conversation" (and `reset()`): the visitor's earlier conversation is not continued. */
  new_conversation: z.boolean().default(false),
});

/** What the embed script needs to draw the widget (the `data` of GET /api/widget/{key}/config). */
export const widgetConfigSchema = webSettingsSchema.pick({ title: true, welcome_message: true, brand_color: true, position: true });

/** The `data` of POST /api/widget/{key}/messages. */
export const widgetReplySchema = z.object({ conversation_id: z.uuid(), messages: z.array(botMessageSchema) });
export type WidgetReply = z.infer<typeof widgetReplySchema>;

/** Origins are matched exactly; an empty list lets any site embed the widget. */
export function isOriginAllowed(settings: WebSettings, origin: string | null): boolean {
  if (settings.allowed_origins.length === 0) return true;
  return origin !== null && settings.allowed_origins.includes(origin);
}

export async function resolveWidget(db: Db, publicKey: string) {
  const channel = await findWebChannelByPublicKey(db, publicKey);
  if (!channel || !channel.enabled) throw new AppError("NOT_FOUND", "This chat is not available.");
  return { tenantId: channel.tenantId, settings: webSettingsSchema.parse(channel.settings) };
}

export function widgetCorsHeaders(origin: string | null, allowed: boolean): Record<string, string> {
  if (!origin || !allowed) return {};
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type", Vary: "Origin" };
}
