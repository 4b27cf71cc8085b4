import { z } from "zod";
import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { storable } from "../http/text";
import { botMessageSchema } from "../flows/bot-message";
import { MAX_TEXT_LENGTH, messageIdSchema } from "../pipeline/message-schema";
import { findWebChannelByPublicKey, openSecrets } from "./channel-service";
import { webSecretsSchema, webSettingsSchema, type WebSettings } from "./channel-settings";
import { identityBinding } from "./visitor-token";

/** The body of POST /api/widget/{key}/messages; who sends it is the visitor token's to say, never the body's. */
export const widgetMessageSchema = z
  .object({
    conversation_id: z.uuid().meta({ title: "Conversation ID" }).optional(),
    message_id: messageIdSchema.optional(),
    text: storable(z.string().trim().min(1).max(MAX_TEXT_LENGTH).meta({ title: "Message" })).optional(),
    /** An upload of this visitor's (POST /api/widget/{key}/uploads); the text, if any, is its caption. */
    attachment_id: z.uuid().meta({ title: "Attachment ID" }).optional(),
    /** Sent by the widget's "New conversation" (and `reset()`): the visitor's earlier conversation is not continued. */
    new_conversation: z.boolean().default(false),
  })
  .superRefine((body, ctx) => {
    if (body.text === undefined && body.attachment_id === undefined) ctx.addIssue({ code: "custom", path: ["text"], message: "Write a message or attach a file." });
  });
export type WidgetMessageInput = z.infer<typeof widgetMessageSchema>;

/** What the embed script needs to draw the widget (the `data` of GET /api/widget/{key}/config). */
export const widgetConfigSchema = webSettingsSchema.pick({
  title: true,
  welcome_message: true,
  brand_color: true,
  text_color: true,
  position: true,
  avatar_url: true,
  launcher_text: true,
  require_verified_identity: true,
});
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

/** The `data` of POST /api/widget/{key}/messages. */
export const widgetReplySchema = z.object({ conversation_id: z.uuid(), messages: z.array(botMessageSchema) });
export type WidgetReply = z.infer<typeof widgetReplySchema>;

/** Origins are matched exactly; an empty list lets any site embed the widget. */
export function isOriginAllowed(settings: WebSettings, origin: string | null): boolean {
  if (settings.allowed_origins.length === 0) return true;
  return origin !== null && settings.allowed_origins.includes(origin);
}

export type ResolvedWidget = {
  channelId: string;
  tenantId: string;
  settings: WebSettings;
  /** Opened only when asked for (the session call, and a verified visitor's calls): an anonymous visitor's never open the channel's secrets. */
  identitySecret: () => string | null;
  /** identityBinding of that secret, for checking a verified visitor's token; null without a secret. */
  currentIdentity: () => string | null;
};

export async function resolveWidget(db: Db, publicKey: string): Promise<ResolvedWidget> {
  const channel = await findWebChannelByPublicKey(db, publicKey);
  if (!channel || !channel.enabled) throw new AppError("NOT_FOUND", "This chat is not available.");
  const sealed = channel.secretsEnc;
  const identitySecret = () => (sealed ? (webSecretsSchema.parse(openSecrets(sealed)).identity_secret ?? null) : null);
  return {
    channelId: channel.id,
    tenantId: channel.tenantId,
    settings: webSettingsSchema.parse(channel.settings),
    identitySecret,
    currentIdentity: () => {
      const secret = identitySecret();
      return secret ? identityBinding(secret) : null;
    },
  };
}

export function widgetCorsHeaders(origin: string | null, allowed: boolean): Record<string, string> {
  if (!origin || !allowed) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    // The visitor token travels as Authorization; an upload names its file in X-Filename; a resumed event stream sends Last-Event-ID.
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Last-Event-ID, X-Filename",
    "Access-Control-Expose-Headers": "X-Request-ID, Retry-After",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}
