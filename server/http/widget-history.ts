import { readVisitorHistory, widgetHistoryQuerySchema } from "../channels/visitor-history";
import { getDb } from "../db";
import type { WidgetAnswer, WidgetContext } from "./widget-route";
import { requireVisitor } from "./widget-visitor";

/** GET /api/widget/{key}/history: the visitor's own conversation, for the widget to show after a reload or in another tab. */
export async function widgetHistory(ctx: WidgetContext): Promise<WidgetAnswer> {
  const visitor = requireVisitor(ctx);
  const params = new URL(ctx.req.url).searchParams;
  const query = widgetHistoryQuerySchema.parse({ conversation_id: params.get("conversation_id") || undefined, limit: params.get("limit") ?? undefined });
  return { data: await readVisitorHistory(getDb(), { tenantId: ctx.tenantId, endUserId: visitor.endUserId, conversationId: query.conversation_id, limit: query.limit }) };
}
