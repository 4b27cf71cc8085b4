import { getKv } from "../cache";
import { startVisitorSession, visitorSessionSchema } from "../channels/visitor-session";
import { getDb } from "../db";
import { readJson } from "./api-handler";
import { clientIp } from "./client-ip";
import { checkWidgetSessionLimit, enforce } from "./rate-limits";
import type { WidgetAnswer, WidgetContext } from "./widget-route";

/** Session bodies are a token and a few short fields. */
const MAX_SESSION_BYTES = 16 * 1024;

/** POST /api/widget/{key}/session: the visitor token every other widget call carries (new, or renewed for 30 days). */
export function widgetSession(now: () => Date = () => new Date()) {
  return async (ctx: WidgetContext): Promise<WidgetAnswer> => {
    enforce(await checkWidgetSessionLimit(getKv(), clientIp(ctx.req)), "Too many chat sessions from your network. Please wait a minute.");
    const input = visitorSessionSchema.parse(await readJson(ctx.req, MAX_SESSION_BYTES));
    return { data: await startVisitorSession(getDb(), ctx, input, now()) };
  };
}
