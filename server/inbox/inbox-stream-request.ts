import { TRPCError } from "@trpc/server";
import { AppError } from "../errors/app-error";
import { enveloped } from "../http/respond";
import { createTrpcContext } from "../trpc/context";
import type { TrpcDeps } from "../trpc/init";
import { createCaller } from "../trpc/root";
import { inboxStreamQuerySchema } from "./inbox-schemas";
import { inboxEventStream } from "./inbox-stream";
import { lastSequenceOf } from "./transcript";

/** A stream opened with an old `since` would replay the whole day; a reconnecting page asks for at most this much. */
const MAX_REPLAY_MS = 10 * 60_000;

/** The tRPC session and workspace rules, as the dashboard's other calls get them: the tenant never comes from the query. */
async function member(req: Request, deps?: TrpcDeps) {
  const ctx = await createTrpcContext({ req, resHeaders: new Headers() }, deps);
  try {
    const tenant = await createCaller(ctx).tenant.current();
    return { db: ctx.db, tenantId: tenant.id, userId: ctx.userId! };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN")) throw new AppError(error.code, error.message);
    throw error;
  }
}

/** GET /api/inbox/stream: the signed-in member's live inbox (server/inbox/inbox-stream.ts) as text/event-stream. */
export async function handleInboxStream(req: Request, deps?: TrpcDeps): Promise<Response> {
  try {
    const { db, tenantId, userId } = await member(req, deps);
    // Blank values are absent, as in the inbox's own URL (a submitted form sends every field).
    const params = [...new URL(req.url).searchParams].filter(([, value]) => value.trim() !== "");
    const { since: asked, conversation: conversationId, after_sequence: afterSequence, ...filters } = inboxStreamQuerySchema.parse(Object.fromEntries(params));
    const now = Date.now();
    const since = new Date(Math.max(asked ? Date.parse(asked) : now, now - MAX_REPLAY_MS));
    let conversation: { id: string; afterSequence: number } | undefined;
    if (conversationId) {
      // Also refuses another tenant's conversation (NOT_FOUND) before anything is streamed.
      const last = await lastSequenceOf(db, tenantId, conversationId);
      conversation = { id: conversationId, afterSequence: afterSequence ?? last };
    }
    const stream = inboxEventStream(db, tenantId, userId, { filters, since, conversation }, req.signal);
    return new Response(stream, { headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
  } catch (error) {
    return enveloped(req, "inbox-stream", () => Promise.reject(error));
  }
}
