import type { ChannelFieldSpec, ChannelModeSpec, MessagingChannelType } from "@/components/channel-credentials-form";

/** The credentials form of each messaging channel, in the order the page shows them. */
export const MESSAGING_CHANNELS: { type: MessagingChannelType; title: string; fields: ChannelFieldSpec[]; modes?: ChannelModeSpec[] }[] = [
  {
    type: "whatsapp",
    title: "WhatsApp",
    // Matches WHATSAPP_MODES (server/channels/channel-settings.ts); the first is the default.
    modes: [
      { value: "cloud", label: "WhatsApp Cloud API (Meta)" },
      { value: "bridge", label: "Self-hosted bridge" },
    ],
    fields: [
      { key: "phone_number_id", label: "Phone number ID", modes: ["cloud"] },
      { key: "business_account_id", label: "Business account ID", modes: ["cloud"] },
      { key: "api_base_url", label: "API base URL", placeholder: "https://graph.facebook.com/v19.0", modes: ["cloud"] },
      { key: "access_token", label: "Access token", secret: true, modes: ["cloud"] },
      { key: "app_secret", label: "App secret", secret: true, modes: ["cloud"] },
      { key: "verify_token", label: "Webhook verify token", secret: true, modes: ["cloud"] },
      { key: "api_base_url", label: "API base URL (the bridge's URL)", placeholder: "https://bridge.example.com", modes: ["bridge"] },
      { key: "bridge_number", label: "Bridge number", placeholder: "+15550100", modes: ["bridge"] },
      { key: "bridge_secret", label: "Bridge secret", secret: true, modes: ["bridge"] },
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
