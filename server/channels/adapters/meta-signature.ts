import { createHmac } from "node:crypto";
import { safeEqual } from "../../security/crypto";
import { WebhookAuthError, type WebhookRequest } from "./types";

/** Meta's challenge is a short number; anything longer is not a handshake we echo. */
const MAX_CHALLENGE_LENGTH = 256;

/** `sha256=<hex>` of the raw body with `secret`: Meta's X-Hub-Signature-256 (also the bridge's X-Bridge-Signature). */
export const sha256Signature = (rawBody: string, secret: string): string => `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;

/**
 * Throws WebhookAuthError unless `header` is the body's sha256 signature with `secret`. Compared in
 * constant time; a channel with no secret stored accepts nothing.
 */
export function verifySha256Signature(rawBody: string, header: string | null, secret: string | undefined, headerName: string): void {
  if (!secret) throw new WebhookAuthError(`no secret is stored for this channel, so ${headerName} cannot be checked`);
  if (!header) throw new WebhookAuthError(`${headerName} is missing`);
  if (!safeEqual(header.trim().toLowerCase(), sha256Signature(rawBody, secret))) throw new WebhookAuthError(`${headerName} does not match the body`);
}

/** Meta's webhook signature (WhatsApp Cloud API, Messenger): X-Hub-Signature-256 with the app secret. */
export function verifyMetaSignature(req: WebhookRequest, appSecret: string | undefined): void {
  verifySha256Signature(req.rawBody, req.headers.get("x-hub-signature-256"), appSecret, "X-Hub-Signature-256");
}

/**
 * Meta's subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… answered with
 * the challenge as plain text when the token is the channel's (constant time), 403 otherwise. Null when the
 * request is not a handshake at all. A 2xx answer marks the channel's webhook as verified (webhook-handler).
 */
export function metaHandshake(req: WebhookRequest, verifyToken: string | undefined): Response | null {
  const params = req.url.searchParams;
  const mode = params.get("hub.mode");
  if (mode === null) return null;
  const token = params.get("hub.verify_token") ?? "";
  const challenge = params.get("hub.challenge") ?? "";
  const headers = { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" };
  if (mode !== "subscribe" || !verifyToken || !safeEqual(token, verifyToken) || challenge.length > MAX_CHALLENGE_LENGTH) {
    return new Response("Forbidden", { status: 403, headers });
  }
  return new Response(challenge, { status: 200, headers });
}
