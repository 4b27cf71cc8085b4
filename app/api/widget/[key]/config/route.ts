import { widgetConfigSchema } from "@/server/channels/web-widget";
import { widgetRoute } from "@/server/http/widget-route";

export const dynamic = "force-dynamic";

/** What the embed script needs to draw the widget: title, welcome message, colours, position, avatar, launcher text, whether sign-in is required. */
export const GET = widgetRoute(async ({ settings }) => ({ data: widgetConfigSchema.parse(settings) }));
