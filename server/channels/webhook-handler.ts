import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { errorBody, successBody, toAppError } from "../http/envelope";
import { readCappedText } from "../http/json-body";
import { metaOf } from "../http/respond";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { adapterFor, isMessagingChannel } from "./adapters";
import { WebhookAuthError, type WebhookRequest } from "./adapters/types";
import { findChannelForWebhook } from "./channel-service";
import { storeInboxEvents } from "./inbox-store";
import { ackPending, noteArrivals } from "./ingress-pressure";

/** Platforms post one event or a small batch; this is generous and still bounded (413 beyond, before buffering more). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookDeps = { db: Db; now?: () => Date };

const notFound = () => new AppError("NOT_FOUND", "Not found.");
// The channel id in the URL is its unguessable key: the log names only its start.
const label = (type: string, key: string) => `[webhook] ${type} ${key.slice(0, 6)}…`;

/**
 * One messaging-channel webhook request: /api/webhooks/{type}/{channel public key}. GET is the platform's
 * subscription handshake; POST is authenticated on its raw bytes, parsed into events and stored in the
 * inbox in one statement, and only then acknowledged: the turn runs from the inbox, so the platform gets
 * its 200 fast and a crash after the ack loses nothing.
 */
export async function handleWebhook(deps: WebhookDeps, req: Request, params: { type: string; channelId: string }): Promise<Response> {
  const started = performance.now();
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  const now = deps.now?.() ?? new Date();
  // A platform waiting on this ack: while many are, the inbox lane steps back (ingress-pressure.ts).
  const acked = req.method === "POST" ? ackPending() : null;
  try {
    if (!isMessagingChannel(params.type)) throw notFound();
    const channel = await findChannelForWebhook(deps.db, params.type, params.channelId);
    if (!channel) {
      console.warn(`${label(params.type, params.channelId)} refused: no channel has this key`);
      throw notFound();
    }
    // A channel turned off still completes the platform's handshake (its verify token or signature proves
    // the caller), so a tenant can connect a channel before switching it on; its events are refused below.
    const refuseEvents = () => {
      console.warn(`${label(params.type, params.channelId)} refused: the channel is turned off`);
      return notFound();
    };
    const adapter = await adapterFor(params.type);
    const markVerified = () => deps.db.update(channels).set({ webhookVerifiedAt: now }).where(eq(channels.id, channel.id));
    const url = new URL(req.url);
    if (req.method === "GET") {
      const answer = adapter.handshake?.({ method: "GET", url, headers: req.headers, rawBody: "", now }, channel);
      if (!answer) return new Response(null, { status: 405, headers: { allow: "POST" } });
      if (answer.ok) await markVerified();
      else console.warn(`${label(params.type, params.channelId)} refused a handshake: ${answer.status}`);
      return answer;
    }
    const wreq: WebhookRequest = { method: "POST", url, headers: req.headers, rawBody: await readCappedText(req, MAX_WEBHOOK_BYTES), now };
    try {
      adapter.authenticate(wreq, channel);
    } catch (error) {
      if (!(error instanceof WebhookAuthError)) throw error;
      console.warn(`${label(params.type, params.channelId)} refused: ${error.message}`);
      throw new AppError("UNAUTHORIZED", "The webhook signature is missing or invalid.");
    }
    const { events, reply } = adapter.parse(wreq, channel);
    if (reply) {
      // Slack's url_verification is its handshake, made by a signed POST.
      if (reply.ok) await markVerified();
      return reply;
    }
    if (!channel.enabled) throw refuseEvents();
    const stored = await storeInboxEvents(deps.db, channel, events);
    // A bridge has no handshake: its first correctly signed event is what proves the two are connected.
    if (!channel.webhookVerifiedAt) await markVerified();
    // After the insert committed: a woken worker finds the rows.
    if (stored) {
      noteArrivals(stored);
      wakeDeliveryWorkers("inbox");
    }
    return Response.json(successBody({ received: events.length, stored }, metaOf(requestId, started)), { headers: { "X-Request-ID": requestId } });
  } catch (error) {
    const appError = toAppError(error, requestId);
    if (appError.code === "INTERNAL_ERROR") console.error(`${label(params.type, params.channelId)} ${req.method} ${requestId}`, error);
    else if (appError.code !== "NOT_FOUND" && appError.code !== "UNAUTHORIZED") console.warn(`${label(params.type, params.channelId)} ${appError.httpStatus}: ${appError.message}`);
    return Response.json(errorBody(appError, metaOf(requestId, started)), { status: appError.httpStatus, headers: { "X-Request-ID": requestId } });
  } finally {
    acked?.();
  }
}
