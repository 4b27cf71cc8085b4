import { findVisitorConversation } from "@/server/channels/visitor-history";
import { openWidgetEventStream, resumeAfter, widgetEventsQuerySchema } from "@/server/channels/widget-events";
import { getDb } from "@/server/db";
import { widgetPreflight, widgetRoute } from "@/server/http/widget-route";
import { requireVisitor } from "@/server/http/widget-visitor";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ key: string; id: string }> };

/**
 * Live agent replies and status changes for the visitor's open widget, as server-sent events. The checks are
 * every widget route's (key, allowed origin, CORS, the visitor token in `Authorization`, the error envelope);
 * only the visitor's own conversation streams. The widget reads it with fetch, since EventSource cannot send
 * the token.
 */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const { key, id } = await params;
  return widgetRoute(async (ctx) => {
    const visitor = requireVisitor(ctx);
    const query = widgetEventsQuerySchema.parse({ after: new URL(req.url).searchParams.get("after") ?? undefined });
    const db = getDb();
    await findVisitorConversation(db, ctx.tenantId, visitor.endUserId, id);
    return { stream: openWidgetEventStream({ db, tenantId: ctx.tenantId, conversationId: id, after: resumeAfter(query.after, req.headers.get("last-event-id")), signal: req.signal }) };
  })(req, { params: Promise.resolve({ key }) });
}

export const OPTIONS = widgetPreflight;
