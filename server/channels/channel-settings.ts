import { z } from "zod";
import type { ChannelType } from "@/db/schema";
import { reachableUrl } from "../security/outbound-url";
import { HEX_COLOR, HEX_COLOR_MESSAGE } from "./hex-color";

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
});

export const whatsappSettingsSchema = z.object({
  phone_number_id: required("Phone number ID"),
  business_account_id: z.string().trim().meta({ title: "Business account ID" }).optional(),
  api_base_url: apiBaseUrl.default("https://graph.facebook.com/v19.0"),
});
export const whatsappSecretsSchema = z.object({ access_token: secret("Access token"), app_secret: secret("App secret"), verify_token: secret("Webhook verify token") });

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
  web: { settings: webSettingsSchema, secrets: z.object({}) },
  whatsapp: { settings: whatsappSettingsSchema, secrets: whatsappSecretsSchema },
  slack: { settings: slackSettingsSchema, secrets: slackSecretsSchema },
  messenger: { settings: messengerSettingsSchema, secrets: messengerSecretsSchema },
} satisfies Record<ChannelType, { settings: z.ZodType; secrets: z.ZodObject }>;

export type WebSettings = z.infer<typeof webSettingsSchema>;
