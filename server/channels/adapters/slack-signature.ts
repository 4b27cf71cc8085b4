import { createHmac } from "node:crypto";
import { safeEqual } from "../../security/crypto";
import { WebhookAuthError, type WebhookRequest } from "./types";

/** Slack's own replay window; a timestamp this far ahead of our clock is refused too. */
export const SLACK_MAX_SKEW_MS = 5 * 60 * 1000;

/** Slack's v0 scheme: "v0=" + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the app's signing secret. */
export const slackSignature = (signingSecret: string, timestamp: string, rawBody: string): string =>
  `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;

/** Throws WebhookAuthError unless the request carries a fresh v0 signature made with `signingSecret`. */
export function verifySlackSignature(req: WebhookRequest, signingSecret: string | undefined): void {
  const timestamp = req.headers.get("x-slack-request-timestamp");
  const signature = req.headers.get("x-slack-signature");
  if (!signingSecret) throw new WebhookAuthError("The Slack channel has no signing secret");
  if (!timestamp || !signature) throw new WebhookAuthError("Missing Slack signature");
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookAuthError("Malformed Slack request timestamp");
  if (Math.abs(req.now.getTime() - Number(timestamp) * 1000) > SLACK_MAX_SKEW_MS) throw new WebhookAuthError("Slack request timestamp is more than 5 minutes off");
  if (!safeEqual(signature, slackSignature(signingSecret, timestamp, req.rawBody))) throw new WebhookAuthError("Slack signature does not match");
}
