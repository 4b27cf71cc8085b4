import type { ChannelFieldSpec, MessagingChannelType } from "@/components/channel-credentials-form";

/** The credentials form of each messaging channel, in the order the page shows them. */
export const MESSAGING_CHANNELS: { type: MessagingChannelType; title: string; fields: ChannelFieldSpec[] }[] = [
  {
    type: "whatsapp",
    title: "WhatsApp",
    fields: [
      { key: "phone_number_id", label: "Phone number ID" },
      { key: "business_account_id", label: "Business account ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://graph.facebook.com/v19.0" },
      { key: "access_token", label: "Access token", secret: true },
      { key: "app_secret", label: "App secret", secret: true },
      { key: "verify_token", label: "Webhook verify token", secret: true },
    ],
  },
  {
    type: "slack",
    title: "Slack",
    fields: [
      { key: "team_id", label: "Team ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://slack.com/api" },
      { key: "bot_token", label: "Bot token", secret: true },
      { key: "signing_secret", label: "Signing secret", secret: true },
    ],
  },
  {
    type: "messenger",
    title: "Messenger",
    fields: [
      { key: "page_id", label: "Page ID" },
      { key: "api_base_url", label: "API base URL", placeholder: "https://graph.facebook.com/v19.0" },
      { key: "page_access_token", label: "Page access token", secret: true },
      { key: "app_secret", label: "App secret", secret: true },
      { key: "verify_token", label: "Webhook verify token", secret: true },
    ],
  },
];
