import { handleWebhook } from "../channels/webhook-handler";
import { getDb } from "../db";

/** Where the production worker (scripts/next-worker.mjs) finds the routes it answers itself. */
export const DIRECT_ROUTES = Symbol.for("chatbot-platform.direct-routes");

export type DirectHandler = (req: Request) => Promise<Response>;
export type DirectRouter = (method: string, pathname: string) => DirectHandler | null;

const WEBHOOK_PATH = /^\/api\/webhooks\/([^/]+)\/([^/]+)$/;

/**
 * The messaging platforms' webhooks, answered by the same handler as app/api/webhooks/[type]/[channelId]
 * but without Next's request pipeline: on this machine Next alone costs a request more than the
 * signature check and the inbox write together (its no-op route answers 32 concurrent callers in a p95 of
 * about 60 ms, twice the ack budget), and a platform that waits too long for an ack delivers again.
 * Anything else, and any path this does not recognise exactly, goes to Next.
 */
export const directRoute: DirectRouter = (method, pathname) => {
  if (method !== "POST" && method !== "GET") return null;
  const match = WEBHOOK_PATH.exec(pathname);
  if (!match) return null;
  let params: { type: string; channelId: string };
  try {
    params = { type: decodeURIComponent(match[1]!), channelId: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
  return (req) => handleWebhook({ db: getDb() }, req, params);
};

/** Called once at start-up (instrumentation.ts), in the process the worker's HTTP server runs in. */
export function registerDirectRoutes(): void {
  (globalThis as { [DIRECT_ROUTES]?: DirectRouter })[DIRECT_ROUTES] = directRoute;
}
