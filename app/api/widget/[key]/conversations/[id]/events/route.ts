import { openWidgetEventStream, resumeAfter, visitorOwnsConversation, widgetEventsQuerySchema } from "@/server/channels/widget-events";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors/app-error";
import { widgetRoute } from "@/server/http/widget-route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ key: string; id: string }> };

/** Headers of the checked answer the stream keeps: CORS for the allowed origin, and the request id. */
const KEPT_HEADERS = ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "vary", "x-request-id"];

/**
 * Live agent replies and status changes for the visitor's open widget, as server-sent events. The checks run
 * through `widgetRoute`, exactly as for the widget's POST (key, allowed origin, CORS, error envelope); only a
 * request that passes them gets the stream in place of the envelope.
 */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const { key, id } = await params;
  let stream: ReadableStream<Uint8Array> | undefined;
  const checked = await widgetRoute(async ({ tenantId }) => {
    const url = new URL(req.url);
    const query = widgetEventsQuerySchema.parse({ visitor_id: url.searchParams.get("visitor_id") ?? undefined, after: url.searchParams.get("after") ?? undefined });
    const db = getDb();
    if (!(await visitorOwnsConversation(db, tenantId, id, query.visitor_id))) throw new AppError("NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
    stream = openWidgetEventStream({ db, tenantId, conversationId: id, after: resumeAfter(query.after, req.headers.get("last-event-id")), signal: req.signal });
    return { data: null };
  })(req, { params: Promise.resolve({ key }) });
  if (!stream) {
    if (checked.status === 403) console.warn(`[widget-events] refused: origin ${req.headers.get("origin") ?? "(none)"} is not allowed to embed widget ${key}`);
    return checked;
  }
  // no-transform keeps compression (which buffers) off the stream; X-Accel-Buffering does the same for nginx.
  const headers = new Headers({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" });
  for (const name of KEPT_HEADERS) {
    const value = checked.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(stream, { headers });
}
