import { z } from "zod";
import type { ChannelType } from "@/db/schema";
import { reachableUrl } from "../security/outbound-url";
import { HEX_COLOR, HEX_COLOR_MESSAGE, TEXT_COLOR_MESSAGE } from "./hex-color";

const origin = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === v.replace(/\/$/, "");
    } catch {
      return false;
    }
  }, "An allowed origin is a scheme and host only, like https://shop.example.com")
  .meta({ title: "Allowed origin" });
// The channel's access token is sent to this URL, so it must pass the SSRF guard when saved.
const apiBaseUrl = z.string().trim().url("API base URL must be a full URL like https://graph.facebook.com/v19.0").superRefine(reachableUrl).meta({ title: "API base URL" });
const required = (title: string) => z.string().trim().min(1).meta({ title });
const secret = (title: string) => z.string().min(1).meta({ title });

export const WIDGET_POSITIONS = ["right", "left"] as const;

export const webSettingsSchema = z.object({
  title: z.string().trim().min(1).max(60).meta({ title: "Title" }).default("Chat with us"),
  welcome_message: z.string().trim().min(1).max(500).meta({ title: "Welcome message" }).default("Hi! How can we help you today?"),
  brand_color: z.string().trim().regex(HEX_COLOR, HEX_COLOR_MESSAGE).meta({ title: "Brand colour" }).default("#4f46e5"),
  // The launcher's corner of the screen: bottom right or bottom left.
  position: z.enum(WIDGET_POSITIONS).meta({ title: "Position" }).default("right"),
  allowed_origins: z.array(origin).max(20).meta({ title: "Allowed origins" }).default([]),
  /** The bot's picture in the header and beside its messages; http(s) only. */
  avatar_url: z.url({ protocol: /^https?$/, error: "Avatar URL must be a web address starting with http:// or https://" }).max(2000).meta({ title: "Avatar URL" }).optional(),
  /** Shown beside the launcher's icon; none shows the icon alone. */
  launcher_text: z.string().trim().max(40).meta({ title: "Launcher text" }).optional(),
  /** Text on the brand colour (header, launcher, the visitor's bubbles). */
  text_color: z.string().trim().regex(HEX_COLOR, TEXT_COLOR_MESSAGE).meta({ title: "Text colour" }).default("#ffffff"),
  /** Only visitors identified with a valid user_hash (HMAC-SHA256 of user_id with the identity secret) may chat. */
  require_verified_identity: z.boolean().meta({ title: "Require verified identity" }).default(false),
});
/** The identity secret is generated with the channel (see upsertChannel) and shown to the tenant's admins. */
export const webSecretsSchema = z.object({ identity_secret: secret("Identity secret").optional() });

/** cloud: Meta's WhatsApp Cloud API; bridge: a self-hosted bridge speaking the bridge format (docs in server/channels/adapters). */
export const WHATSAPP_MODES = ["cloud", "bridge"] as const;

export const whatsappSettingsSchema = z.object({
  mode: z.enum(WHATSAPP_MODES).meta({ title: "Mode" }).default("cloud"),
  /** Cloud API: the sending number's id. A bridge names no number id; its business number goes in bridge_number. */
  phone_number_id: z.string().trim().meta({ title: "Phone number ID" }).optional(),
  bridge_number: z.string().trim().meta({ title: "Bridge number" }).optional(),
  business_account_id: z.string().trim().meta({ title: "Business account ID" }).optional(),
  api_base_url: apiBaseUrl.default("https://graph.facebook.com/v19.0"),
});
export const whatsappSecretsSchema = z.object({
  access_token: secret("Access token").optional(),
  app_secret: secret("App secret").optional(),
  verify_token: secret("Webhook verify token").optional(),
  bridge_secret: secret("Bridge secret").optional(),
});
/** What each WhatsApp mode cannot work without; checked by upsertChannel with each field's title. */
export const WHATSAPP_REQUIRED = {
  cloud: { settings: ["phone_number_id"], secrets: ["access_token", "app_secret", "verify_token"] },
  bridge: { settings: [], secrets: ["bridge_secret"] },
} as const;

export const slackSettingsSchema = z.object({
  team_id: z.string().trim().meta({ title: "Team ID" }).optional(),
  api_base_url: apiBaseUrl.default("https://slack.com/api"),
});
export const slackSecretsSchema = z.object({ bot_token: secret("Bot token"), signing_secret: secret("Signing secret") });

export const messengerSettingsSchema = z.object({
  page_id: required("Page ID"),
  api_base_url: apiBaseUrl.default("https://graph.facebook.com/v19.0"),
});
export const messengerSecretsSchema = z.object({ page_access_token: secret("Page access token"), app_secret: secret("App secret"), verify_token: secret("Webhook verify token") });

export const CHANNEL_SCHEMAS = {
  web: { settings: webSettingsSchema, secrets: webSecretsSchema },
  whatsapp: { settings: whatsappSettingsSchema, secrets: whatsappSecretsSchema },
  slack: { settings: slackSettingsSchema, secrets: slackSecretsSchema },
  messenger: { settings: messengerSettingsSchema, secrets: messengerSecretsSchema },
} satisfies Record<ChannelType, { settings: z.ZodType; secrets: z.ZodObject }>;

export type WebSettings = z.infer<typeof webSettingsSchema>;
export type WhatsappSettings = z.infer<typeof whatsappSettingsSchema>;
export type SlackSettings = z.infer<typeof slackSettingsSchema>;
export type MessengerSettings = z.infer<typeof messengerSettingsSchema>;
