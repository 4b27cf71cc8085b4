import type { WebSettings } from "../channels/channel-settings";
import { isOriginAllowed, resolveWidget, widgetCorsHeaders } from "../channels/web-widget";
import { getDb } from "../db";
import { AppError } from "../errors/app-error";
import { enveloped, type ApiResult } from "./respond";

export type WidgetContext = { req: Request; requestId: string; tenantId: string; settings: WebSettings; origin: string | null };
type KeyParams = { params: Promise<{ key: string }> };

/**
 * Every widget route goes through here: the widget's public key resolves the tenant, the page's origin
 * must be one the tenant allowed (CORS is granted only then), and answers use the one envelope.
 */
export function widgetRoute(handler: (ctx: WidgetContext) => Promise<ApiResult>) {
  return (req: Request, { params }: KeyParams): Promise<Response> =>
    enveloped(req, "widget", async (answering) => {
      const origin = req.headers.get("origin");
      const { tenantId, settings } = await resolveWidget(getDb(), (await params).key);
      if (!isOriginAllowed(settings, origin)) throw new AppError("FORBIDDEN", "This site may not embed this chat.");
      answering.headers = widgetCorsHeaders(origin, true);
      return handler({ req, requestId: answering.requestId, tenantId, settings, origin });
    });
}

/** CORS preflight: granted to allowed origins only, so other sites' scripts cannot post at all. */
export async function widgetPreflight(req: Request, { params }: KeyParams): Promise<Response> {
  const origin = req.headers.get("origin");
  try {
    const { settings } = await resolveWidget(getDb(), (await params).key);
    return new Response(null, { status: 204, headers: widgetCorsHeaders(origin, isOriginAllowed(settings, origin)) });
  } catch {
    return new Response(null, { status: 204 });
  }
}
