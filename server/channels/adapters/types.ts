import type { DeliveryStatus } from "@/db/schema";
import type { BotMessage } from "../../flows/bot-message";
import type { MessageContent } from "../../pipeline/message-schema";
import type { WebhookChannel } from "../channel-service";
import type { DeliveryAddress } from "../delivery-address";

/** A webhook request as an adapter sees it: the raw body is kept, since signatures cover its exact bytes. */
export type WebhookRequest = { method: "GET" | "POST"; url: URL; headers: Headers; rawBody: string; now: Date };

/** A message from an end user, normalised; stored as the inbox row's payload (dates as ISO strings there). */
export type InboundMessageEvent = {
  kind: "message";
  /** The platform's id of the event (wamid, Slack event_id, Messenger mid, bridge message_id): the dedupe key. */
  externalId: string;
  /** Our end-user id, prefixed by platform: "wa:+4915…", "slack:T…:U…", "fb:PSID". */
  userId: string;
  content: MessageContent;
  /** Shown in the dashboard (profile name, phone number, Slack user); stored with the message. */
  channelMetadata: Record<string, unknown>;
  address: DeliveryAddress;
  /** The platform's timestamp of the message. */
  sentAt: string;
};

/** A platform's report on a message we sent. */
export type DeliveryStatusUpdate = {
  channelId: string;
  providerMessageId: string;
  status: Exclude<DeliveryStatus, "queued">;
  /** The platform's timestamp of the status (ISO). */
  at: string;
  /** Why a message failed, as the platform put it. */
  reason?: string;
};

export type InboundStatusEvent = { kind: "status"; externalId: string; update: DeliveryStatusUpdate };

/** Messenger's delivery/read watermark: every message accepted for `recipient` at or before `before` (ISO) reached `status`. */
export type WatermarkStatusUpdate = { channelId: string; recipient: string; status: "delivered" | "read"; before: string };
/** Processed with applyWatermarkStatus (server/outbox/delivery-status.ts): a watermark names no message id. */
export type InboundWatermarkEvent = { kind: "watermark"; externalId: string; watermark: WatermarkStatusUpdate };
export type InboundEvent = InboundMessageEvent | InboundStatusEvent | InboundWatermarkEvent;

/** The signature (or verify token) is missing, forged, stale or for another channel: 401 and nothing is stored. */
export class WebhookAuthError extends Error {}

/** What a send needs; `lastInboundAt` is the end user's latest message in the conversation (WhatsApp's 24-hour window). */
export type SendContext = {
  channel: WebhookChannel;
  address: DeliveryAddress;
  message: BotMessage;
  lastInboundAt: Date | null;
  now: Date;
  signal?: AbortSignal;
};
export type SendResult = { providerMessageId: string };

/**
 * A send that did not go through. retryable: throttling, 5xx, timeouts, connection errors (after
 * `retryAfterMs` when the platform said so); permanent: bad credentials, bad recipient, outside the
 * customer-service window. `reason` is shown to the tenant.
 */
export class DeliveryError extends Error {
  constructor(
    readonly kind: "retryable" | "permanent",
    /** Stable: "http_503", "meta_131047", "timeout", "connection", "window_closed", … */
    readonly code: string,
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

/**
 * One messaging platform: its webhook (handshake, signature, payload) and its send API. Every call to a
 * tenant-supplied URL goes through the SSRF-guarded client (server/security/safe-http.ts).
 */
export interface ChannelAdapter {
  /** GET handshakes (Meta's hub.challenge); null when the request is not one (answered 405). */
  handshake?(req: WebhookRequest, channel: WebhookChannel): Response | null;
  /** Throws WebhookAuthError unless the request is signed by this channel's secret (constant-time compare). */
  authenticate(req: WebhookRequest, channel: WebhookChannel): void;
  /** The events in an authenticated body; `reply` answers it at once (Slack's url_verification) and nothing is stored. */
  parse(req: WebhookRequest, channel: WebhookChannel): { events: InboundEvent[]; reply?: Response };
  send(ctx: SendContext): Promise<SendResult>;
}
