import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";
import { widgetUpload } from "@/server/http/widget-uploads";

export const dynamic = "force-dynamic";

export const POST = widgetRoute(widgetUpload);

export const OPTIONS = widgetPreflight;
