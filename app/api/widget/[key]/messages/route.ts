import { getKv } from "@/server/cache";
import { isOriginAllowed, resolveWidget, widgetCorsHeaders, widgetMessageSchema } from "@/server/channels/web-widget";
import { getDb } from "@/server/db";
import { AppError } from "@/server/errors/app-error";
import { toAppError } from "@/server/http/envelope";
import { readJson } from "@/server/http/api-handler";
import { checkEndUserLimit, rateLimitHeaders } from "@/server/http/rate-limits";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";

export const dynamic = "force-dynamic";

/** Anonymous visitors of the tenant's site: identified by the widget's public key, fenced by origin and rate limits. */
export async function POST(req: Request, ctx: { params: Promise<{ key: string }> }) {
  const origin = req.headers.get("origin");
  let headers: Record<string, string> = {};
  try {
    const { tenantId, settings } = await resolveWidget(getDb(), (await ctx.params).key);
    if (!isOriginAllowed(settings, origin)) throw new AppError("FORBIDDEN", "This site may not embed this chat.");
    headers = widgetCorsHeaders(origin, true);
    const input = widgetMessageSchema.parse(await readJson(req));
    const limit = await checkEndUserLimit(getKv(), tenantId, `web:${input.visitor_id}`);
    if (limit && !limit.allowed) {
      headers = { ...headers, ...rateLimitHeaders(limit) };
      throw new AppError("RATE_LIMITED", "You are sending messages too fast. Please wait a moment.");
    }
    const result = await processMessage(pipelineDepsFor(getDb()), tenantId, {
      user_id: `web:${input.visitor_id}`,
      channel: "web",
      conversation_id: input.conversation_id,
      message_id: input.message_id,
      content: { type: "text", text: input.text },
      channel_metadata: { origin },
    });
    return Response.json({ conversation_id: result.conversation_id, messages: result.response.messages }, { headers });
  } catch (e) {
    const err = toAppError(e);
    return Response.json({ error: { code: err.code, message: err.message, details: err.details ?? null } }, { status: err.httpStatus, headers });
  }
}

export async function OPTIONS(req: Request, ctx: { params: Promise<{ key: string }> }) {
  const origin = req.headers.get("origin");
  try {
    const { settings } = await resolveWidget(getDb(), (await ctx.params).key);
    return new Response(null, { status: 204, headers: widgetCorsHeaders(origin, isOriginAllowed(settings, origin)) });
  } catch {
    return new Response(null, { status: 204 });
  }
}
