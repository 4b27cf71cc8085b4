import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { errorBody, successBody, toAppError } from "../http/envelope";
import { readCappedText } from "../http/json-body";
import { metaOf } from "../http/respond";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { adapterFor, isMessagingChannel, type MessagingChannelType } from "./adapters";
import { WebhookAuthError, type WebhookRequest } from "./adapters/types";
import { findChannelForWebhook, type WebhookChannel } from "./channel-service";
import { ChannelChanged, storeInboxEvents } from "./inbox-store";
import { ackPending, noteArrivals } from "./ingress-pressure";

/** Platforms post one event or a small batch; this is generous and still bounded (413 beyond, before buffering more). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookDeps = { db: Db; now?: () => Date };

const notFound = () => new AppError("NOT_FOUND", "Not found.");
// The channel id in the URL is its unguessable key: the log names only its start.
const label = (type: string, key: string) => `[webhook] ${type} ${key.slice(0, 6)}…`;

/** The channel a webhook was answered with was out of date; the request is answered again with the channel as stored. */
class StaleChannel extends Error {}

/**
 * The channels this process answered webhooks for, by their URL key, so an ack is one statement (the insert)
 * rather than a read and then the insert. The insert stores nothing unless the channel is still as it was
 * read (inbox-store.ts ChannelChanged), and anything refused with a remembered channel (a signature, a verify
 * token, a channel turned off) is tried again with the stored one: a channel's change takes effect on the very
 * next webhook, as when it was read every time.
 */
const remembered = new Map<string, WebhookChannel>();
const MAX_REMEMBERED = 1_000;
const keyOf = (params: { type: string; channelId: string }) => `${params.type}\u0000${params.channelId}`;
function remember(params: { type: string; channelId: string }, channel: WebhookChannel): void {
  const key = keyOf(params);
  remembered.delete(key);
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, channel);
}

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
    const route: WebhookRoute = { type: params.type, channelId: params.channelId };
    const load = async () => {
      const channel = await findChannelForWebhook(deps.db, route.type, route.channelId);
      if (!channel) {
        remembered.delete(keyOf(params));
        console.warn(`${label(params.type, params.channelId)} refused: no channel has this key`);
        throw notFound();
      }
      remember(params, channel);
      return channel;
    };
    const rawBody = req.method === "POST" ? await readCappedText(req, MAX_WEBHOOK_BYTES) : "";
    const known = remembered.get(keyOf(params));
    const answer = (channel: WebhookChannel, stored: boolean) => answerWith(deps, req, route, { channel, stored, rawBody, now, requestId, started });
    try {
      return await answer(known ?? (await load()), !known);
    } catch (error) {
      if (!(error instanceof StaleChannel)) throw error;
      return await answer(await load(), true);
    }
  } catch (error) {
    const appError = toAppError(error, requestId);
    if (appError.code === "INTERNAL_ERROR") console.error(`${label(params.type, params.channelId)} ${req.method} ${requestId}`, error);
    else if (appError.code !== "NOT_FOUND" && appError.code !== "UNAUTHORIZED") console.warn(`${label(params.type, params.channelId)} ${appError.httpStatus}: ${appError.message}`);
    return Response.json(errorBody(appError, metaOf(requestId, started)), { status: appError.httpStatus, headers: { "X-Request-ID": requestId } });
  } finally {
    acked?.();
  }
}

type WebhookRoute = { type: MessagingChannelType; channelId: string };
type Answering = { channel: WebhookChannel; /** Read from the database for this request, not remembered. */ stored: boolean; rawBody: string; now: Date; requestId: string; started: number };

/** The request answered with `channel`; a refusal with a remembered channel is a StaleChannel, so it is answered again with the stored one. */
async function answerWith(deps: WebhookDeps, req: Request, params: WebhookRoute, a: Answering): Promise<Response> {
  const { channel, now } = a;
  const refused = (why: string, error: Error) => {
    if (!a.stored) throw new StaleChannel(why);
    console.warn(`${label(params.type, params.channelId)} refused${why}`);
    return error;
  };
  const adapter = await adapterFor(params.type);
  const markVerified = async () => {
    await deps.db.update(channels).set({ webhookVerifiedAt: now }).where(eq(channels.id, channel.id));
    remember(params, { ...channel, webhookVerifiedAt: now });
  };
  const url = new URL(req.url);
  if (req.method === "GET") {
    const answer = adapter.handshake?.({ method: "GET", url, headers: req.headers, rawBody: "", now }, channel);
    if (!answer) return new Response(null, { status: 405, headers: { allow: "POST" } });
    if (!answer.ok && !a.stored) throw new StaleChannel("handshake");
    if (answer.ok) await markVerified();
    else console.warn(`${label(params.type, params.channelId)} refused a handshake: ${answer.status}`);
    return answer;
  }
  const wreq: WebhookRequest = { method: "POST", url, headers: req.headers, rawBody: a.rawBody, now };
  try {
    adapter.authenticate(wreq, channel);
  } catch (error) {
    if (!(error instanceof WebhookAuthError)) throw error;
    throw refused(`: ${error.message}`, new AppError("UNAUTHORIZED", "The webhook signature is missing or invalid."));
  }
  const { events, reply } = adapter.parse(wreq, channel);
  if (reply) {
    // Slack's url_verification is its handshake, made by a signed POST.
    if (reply.ok) await markVerified();
    return reply;
  }
  // A channel turned off still completes the platform's handshake (its verify token or signature proves
  // the caller), so a tenant can connect a channel before switching it on; its events are refused.
  if (!channel.enabled) throw refused(": the channel is turned off", notFound());
  let stored: number;
  try {
    stored = await storeInboxEvents(deps.db, channel, events);
  } catch (error) {
    if (!(error instanceof ChannelChanged)) throw error;
    if (!a.stored) throw new StaleChannel("changed");
    // Changed between this request's read and its insert: the platform delivers again.
    throw new AppError("SERVICE_UNAVAILABLE", "The channel changed while this webhook was being stored; deliver it again.");
  }
  // A bridge has no handshake: its first correctly signed event is what proves the two are connected.
  if (!channel.webhookVerifiedAt) await markVerified();
  // After the insert committed: a woken worker finds the rows.
  if (stored) {
    noteArrivals(stored);
    wakeDeliveryWorkers("inbox");
  }
  return Response.json(successBody({ received: events.length, stored }, metaOf(a.requestId, a.started)), { headers: { "X-Request-ID": a.requestId } });
}
