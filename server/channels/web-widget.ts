import { z } from "zod";
import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { MAX_TEXT_LENGTH } from "../pipeline/message-schema";
import { findWebChannelByPublicKey } from "./channel-service";
import { webSettingsSchema, type WebSettings } from "./channel-settings";

export const widgetMessageSchema = z.object({
  visitor_id: z.string().trim().min(8, "visitor_id is required").max(100),
  conversation_id: z.uuid().optional(),
  message_id: z.string().trim().min(1).max(200).optional(),
  text: z.string().trim().min(1, "Type a message").max(MAX_TEXT_LENGTH),
});

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
