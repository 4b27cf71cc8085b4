import { z } from "zod";
import type { ChannelType } from "@/db/schema";
import { reachableUrl } from "../security/outbound-url";

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #4f46e5");
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
  }, "Use an origin like https://shop.example.com");
// The channel's access token is sent to this URL, so it must pass the SSRF guard when saved.
const apiBaseUrl = z.string().trim().url("Use a full URL like https://graph.facebook.com/v19.0").superRefine(reachableUrl);

export const webSettingsSchema = z.object({
  title: z.string().trim().min(1, "Title is required").max(60, "Title is at most 60 characters").default("Chat with us"),
  welcome_message: z.string().trim().min(1, "Welcome message is required").max(500, "Welcome message is at most 500 characters").default("Hi! How can we help you today?"),
  brand_color: hexColor.default("#4f46e5"),
  position: z.enum(["right", "left"]).default("right"),
  allowed_origins: z.array(origin).max(20).default([]),
});

export const whatsappSettingsSchema = z.object({
  phone_number_id: z.string().trim().min(1, "Phone number ID is required"),
  business_account_id: z.string().trim().optional(),
  api_base_url: apiBaseUrl.default("https://graph.facebook.com/v19.0"),
});
export const whatsappSecretsSchema = z.object({ access_token: z.string().min(1), app_secret: z.string().min(1), verify_token: z.string().min(1) });

export const slackSettingsSchema = z.object({
  team_id: z.string().trim().optional(),
  api_base_url: apiBaseUrl.default("https://slack.com/api"),
});
export const slackSecretsSchema = z.object({ bot_token: z.string().min(1), signing_secret: z.string().min(1) });

export const messengerSettingsSchema = z.object({
  page_id: z.string().trim().min(1, "Page ID is required"),
  api_base_url: apiBaseUrl.default("https://graph.facebook.com/v19.0"),
});
export const messengerSecretsSchema = z.object({ page_access_token: z.string().min(1), app_secret: z.string().min(1), verify_token: z.string().min(1) });

export const CHANNEL_SCHEMAS = {
  web: { settings: webSettingsSchema, secrets: z.object({}) },
  whatsapp: { settings: whatsappSettingsSchema, secrets: whatsappSecretsSchema },
  slack: { settings: slackSettingsSchema, secrets: slackSecretsSchema },
  messenger: { settings: messengerSettingsSchema, secrets: messengerSecretsSchema },
} satisfies Record<ChannelType, { settings: z.ZodType; secrets: z.ZodObject }>;

export type WebSettings = z.infer<typeof webSettingsSchema>;
