import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";
import { widgetSession } from "@/server/http/widget-session";

export const dynamic = "force-dynamic";

/** The visitor token: issued on the widget's first load, renewed on every later one. */
export const POST = widgetRoute(widgetSession());

export const OPTIONS = widgetPreflight;
