import { z } from "zod";
import type { WebhookChannel } from "../channel-service";
import type { WhatsappSettings } from "../channel-settings";
import { MAX_TEXT_LENGTH } from "../../pipeline/message-schema";
import { sha256Signature, verifySha256Signature } from "./meta-signature";
import { boundedReason, jsonBody, postJson, retryAfterMs } from "./platform-http";
import { DeliveryError, type InboundEvent, type SendContext, type SendResult, type WebhookRequest } from "./types";
import { clip } from "./web-link";
import { plainText } from "./whatsapp-text";

/**
 * A self-hosted WhatsApp bridge in our specification's format (the mock bridge): events posted as
 * `{ event_type, timestamp, data }` signed with X-Bridge-Signature: sha256=<hex HMAC-SHA256(raw body,
 * bridge secret)>, sends to POST {api_base_url}/messages/send `{ to, message, from }`.
 */
const receivedSchema = z.object({
  event_type: z.literal("message.received"),
  timestamp: z.string().optional(),
  data: z.object({ from_number: z.string().min(1), to_number: z.string().optional(), message_id: z.string().min(1), text: z.string(), timestamp: z.string().optional() }),
});
const sentSchema = z.object({
  event_type: z.literal("message.sent"),
  timestamp: z.string().optional(),
  data: z.object({ message_id: z.string().min(1), status: z.string(), error: z.string().optional() }),
});
const sendAnswerSchema = z.object({ message_id: z.string().min(1) });
const STATUSES = ["sent", "delivered", "read", "failed"] as const;

const isoOr = (value: string | undefined, now: Date) => {
  const at = value ? new Date(value) : now;
  return (Number.isNaN(at.getTime()) ? now : at).toISOString();
};

export function verifyBridgeSignature(req: WebhookRequest, channel: WebhookChannel): void {
  verifySha256Signature(req.rawBody, req.headers.get("x-bridge-signature"), channel.secrets.bridge_secret, "X-Bridge-Signature");
}

export function bridgeEvents(json: unknown, channel: WebhookChannel, now: Date): InboundEvent[] {
  const received = receivedSchema.safeParse(json);
  if (received.success) {
    const { from_number, to_number, message_id, text, timestamp } = received.data.data;
    if (!text.trim()) return [];
    return [
      {
        kind: "message",
        externalId: message_id,
        userId: `wa:${from_number}`,
        content: { type: "text", text: clip(text.trim(), MAX_TEXT_LENGTH) },
        channelMetadata: { phone_number: from_number },
        address: { channel_id: channel.id, recipient: from_number, ...(to_number && { from: to_number }) },
        sentAt: isoOr(timestamp ?? received.data.timestamp, now),
      },
    ];
  }
  const sent = sentSchema.safeParse(json);
  const status = sent.success ? STATUSES.find((s) => s === sent.data.data.status) : undefined;
  if (!sent.success || !status) return [];
  const { message_id, error } = sent.data.data;
  return [
    {
      kind: "status",
      externalId: `status:${message_id}:${status}`,
      update: { channelId: channel.id, providerMessageId: message_id, status, at: isoOr(sent.data.timestamp, now), ...(status === "failed" && error && { reason: boundedReason(error) }) },
    },
  ];
}

function bridgeError(status: number, body: unknown, retryAfter: number | undefined): DeliveryError {
  const said = typeof (body as { error?: unknown } | null)?.error === "string" ? `: ${(body as { error: string }).error}` : "";
  const code = `http_${status}`;
  if (status === 429) return new DeliveryError("retryable", code, boundedReason(`The bridge is throttling sends${said}`), retryAfter);
  if (status >= 500) return new DeliveryError("retryable", code, boundedReason(`The bridge answered ${status}${said}`), retryAfter);
  if (status === 401 || status === 403) return new DeliveryError("permanent", code, "The bridge refused our credentials (check the bridge secret).");
  return new DeliveryError("permanent", code, boundedReason(`The bridge refused the message (${status})${said}`));
}

/** Bridges have no 24-hour window. The body is signed with the bridge secret, so a bridge can tell our sends from others'. */
export async function sendBridge(ctx: SendContext, settings: WhatsappSettings): Promise<SendResult> {
  const from = ctx.address.from ?? settings.bridge_number;
  const body = { to: ctx.address.recipient, message: plainText(ctx.message), ...(from && { from }) };
  const secret = ctx.channel.secrets.bridge_secret;
  const headers: Record<string, string> = secret ? { "x-bridge-signature": sha256Signature(JSON.stringify(body), secret) } : {};
  const res = await postJson(`${settings.api_base_url.replace(/\/$/, "")}/messages/send`, headers, body, ctx.signal);
  if (res.status < 200 || res.status >= 300) throw bridgeError(res.status, jsonBody(res), retryAfterMs(res.headers, ctx.now.getTime()));
  const answer = sendAnswerSchema.safeParse(jsonBody(res));
  if (!answer.success) throw new DeliveryError("permanent", "no_message_id", "The bridge accepted the message but returned no message_id.");
  return { providerMessageId: answer.data.message_id };
}
