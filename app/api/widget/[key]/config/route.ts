import { resolveWidget, isOriginAllowed, widgetCorsHeaders } from "@/server/channels/web-widget";
import { getDb } from "@/server/db";
import { toAppError } from "@/server/http/envelope";

export const dynamic = "force-dynamic";

/** What the embed script needs to draw the widget: title, welcome message, colour, position. */
export async function GET(req: Request, ctx: { params: Promise<{ key: string }> }) {
  const origin = req.headers.get("origin");
  try {
    const { settings } = await resolveWidget(getDb(), (await ctx.params).key);
    const allowed = isOriginAllowed(settings, origin);
    if (!allowed) return Response.json({ error: { code: "FORBIDDEN", message: "This site may not embed this chat." } }, { status: 403 });
    const { title, welcome_message, brand_color, position } = settings;
    return Response.json({ title, welcome_message, brand_color, position }, { headers: widgetCorsHeaders(origin, true) });
  } catch (e) {
    const err = toAppError(e);
    return Response.json({ error: { code: err.code, message: err.message } }, { status: err.httpStatus, headers: widgetCorsHeaders(origin, true) });
  }
}
