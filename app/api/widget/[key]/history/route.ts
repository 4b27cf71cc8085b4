import { widgetHistory } from "@/server/http/widget-history";
import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";

export const dynamic = "force-dynamic";

export const GET = widgetRoute(widgetHistory);

export const OPTIONS = widgetPreflight;
