import { createHmac } from "node:crypto";

// Written from the platforms' documentation, not from the app's code, so a bug there cannot hide here.
const hmacHex = (secret: string, data: string) => createHmac("sha256", secret).update(data, "utf8").digest("hex");

/** Meta (WhatsApp Cloud API, Messenger): X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(raw body, app secret). */
export const signMeta = (body: string, secret: string): Record<string, string> => ({ "content-type": "application/json", "x-hub-signature-256": `sha256=${hmacHex(secret, body)}` });

/** The WhatsApp bridge format: X-Bridge-Signature = "sha256=" + hex HMAC-SHA256(raw body, bridge secret). */
export const signBridge = (body: string, secret: string): Record<string, string> => ({ "content-type": "application/json", "x-bridge-signature": `sha256=${hmacHex(secret, body)}` });

/** Slack v0: X-Slack-Signature = "v0=" + hex HMAC-SHA256("v0:{timestamp}:{raw body}", signing secret). */
export const signSlack = (body: string, secret: string, timestampSeconds: number): Record<string, string> => ({
  "content-type": "application/json",
  "x-slack-request-timestamp": String(timestampSeconds),
  "x-slack-signature": `v0=${hmacHex(secret, `v0:${timestampSeconds}:${body}`)}`,
});
