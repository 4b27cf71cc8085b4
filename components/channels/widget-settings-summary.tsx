import type { WebSettings } from "@/server/channels/channel-settings";

const POSITION_WORDS = { right: "Bottom right", left: "Bottom left" } as const;

/** How the widget is set up, for members, who may see it but not change it. */
export function WidgetSettingsSummary({ settings }: { settings: Partial<WebSettings> }) {
  const facts: [string, string][] = [
    ["Title", settings.title ?? "Chat with us"],
    ["Welcome message", settings.welcome_message ?? "Hi! How can we help you today?"],
    ["Brand colour", settings.brand_color ?? "#4f46e5"],
    ["Text colour", settings.text_color ?? "#ffffff"],
    ["Position", POSITION_WORDS[settings.position ?? "right"]],
    ["Avatar URL", settings.avatar_url || "None"],
    ["Launcher text", settings.launcher_text || "None: the icon alone"],
    ["Allowed origins", settings.allowed_origins?.length ? settings.allowed_origins.join(", ") : "Any website"],
    ["Verified identity", settings.require_verified_identity ? "Required" : "Not required"],
  ];
  return (
    <dl className="facts" data-testid="widget-settings-summary" style={{ marginTop: "1rem" }}>
      {facts.map(([term, value]) => (
        <div key={term} style={{ display: "contents" }}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
