import { describe, expect, it } from "vitest";
import { graphDeliveryError, WINDOW_CLOSED_REASON } from "@/server/channels/adapters/graph-errors";
import { retryAfterMs } from "@/server/channels/adapters/platform-http";
import type { WebhookRequest } from "@/server/channels/adapters/types";
import { whatsappAdapter } from "@/server/channels/adapters/whatsapp";
import { cloudMessage } from "@/server/channels/adapters/whatsapp-cloud-send";
import type { WebhookChannel } from "@/server/channels/channel-service";
import type { SafeResponse } from "@/server/security/safe-http";
import { signMeta } from "../../helpers/webhook-signatures";
import { messagesWebhook, statusesWebhook } from "../../helpers/whatsapp-webhooks";

const PHONE_ID = "106540352242922";
const channel: WebhookChannel = {
  id: "0c9a2d36-7c5b-4a44-9f0e-3a1b5c7d9e21",
  tenantId: "00000000-0000-4000-8000-000000000001",
  type: "whatsapp",
  enabled: true,
  settings: { mode: "cloud", phone_number_id: PHONE_ID, api_base_url: "https://graph.facebook.com/v19.0" },
  secrets: { access_token: "EAAtoken", app_secret: "wa-app-secret", verify_token: "verify-me" },
  webhookVerifiedAt: null, updatedAt: new Date(),
};
const events = (raw: string) => {
  const req: WebhookRequest = { method: "POST", url: new URL("http://127.0.0.1/api/webhooks/whatsapp/ch_x"), headers: new Headers(signMeta(raw, "wa-app-secret")), rawBody: raw, now: new Date() };
  whatsappAdapter.authenticate(req, channel);
  return whatsappAdapter.parse(req, channel).events;
};
const graphAnswer = (status: number, error?: { code: number; message: string }, headers: Record<string, string> = {}): SafeResponse => ({ status, headers, body: error ? JSON.stringify({ error: { ...error, type: "OAuthException", fbtrace_id: "x" } }) : "" });

describe("Graph API errors", () => {
  it.each([
    [graphAnswer(429, undefined, { "retry-after": "7" }), "retryable", "http_429", 7000],
    [graphAnswer(400, { code: 131056, message: "(#131056) Pair rate limit hit" }), "retryable", "meta_131056", undefined],
    [graphAnswer(400, { code: 80007, message: "Rate limit issues" }), "retryable", "meta_80007", undefined],
    [graphAnswer(503), "retryable", "http_503", undefined],
    [graphAnswer(401, { code: 190, message: "Invalid OAuth access token" }), "permanent", "meta_190", undefined],
    [graphAnswer(400, { code: 131026, message: "Message undeliverable" }), "permanent", "meta_131026", undefined],
    [graphAnswer(400, { code: 100, message: "Invalid parameter" }), "permanent", "meta_100", undefined],
    [graphAnswer(404, { code: 2500, message: "Unknown path components" }), "permanent", "meta_2500", undefined],
  ] as const)("maps %j to a %s %s", (res, kind, code, retryAfter) => {
    const error = graphDeliveryError(res);
    expect({ kind: error.kind, code: error.code, retryAfterMs: error.retryAfterMs }).toEqual({ kind, code, retryAfterMs: retryAfter });
  });

  it("words permanent refusals for the tenant and maps 131047 to the closed window", () => {
    expect(graphDeliveryError(graphAnswer(401)).reason).toBe("The access token was refused");
    expect(graphDeliveryError(graphAnswer(400, { code: 131047, message: "Re-engagement message" }))).toMatchObject({ kind: "permanent", code: "window_closed", reason: WINDOW_CLOSED_REASON });
    expect(graphDeliveryError(graphAnswer(400, { code: 131026, message: "Message undeliverable" })).reason).toBe("The recipient cannot receive this message: Message undeliverable");
    const at = new Date("2026-12-01T12:00:00Z").getTime();
    expect(retryAfterMs({ "retry-after": "Tue, 01 Dec 2026 12:00:30 GMT" }, at)).toBe(30_000);
  });
});

describe("WhatsApp Cloud API messages", () => {
  it("sends more than ten quick replies as numbered text, and a carousel as lines with only its web links", () => {
    const many = Array.from({ length: 11 }, (_, i) => `Option ${i + 1}`);
    expect(cloudMessage({ type: "text", text: "Pick one", quick_replies: many })).toEqual({ type: "text", text: { preview_url: false, body: `Pick one\n\n${many.map((o, i) => `${i + 1}. ${o}`).join("\n")}` } });
    const carousel = cloudMessage({ type: "carousel", text: "Our laptops", items: [{ title: "DevBook Pro 14", subtitle: "$999", payload: "https://shop.example/devbook" }, { title: "Trap", payload: "javascript:alert(1)" }] });
    expect(carousel).toEqual({ type: "text", text: { preview_url: false, body: "Our laptops\n\n• DevBook Pro 14\n$999\nhttps://shop.example/devbook\n\n• Trap" } });
  });

  it("cuts button titles to 20 characters and list rows to 24, keeping the ids unique", () => {
    const buttons = cloudMessage({ type: "text", text: "Which?", quick_replies: ["A very long option title number one", "A very long option title number two"] });
    expect((buttons.interactive as { action: { buttons: { reply: { id: string; title: string } }[] } }).action.buttons.map((b) => b.reply)).toEqual([
      { id: "1:A very long option title number one", title: "A very long option …" },
      { id: "2:A very long option title number two", title: "A very long option …" },
    ]);
    const list = cloudMessage({ type: "text", text: "Which?", quick_replies: ["One", "Two", "Three", "A row title longer than twenty-four"] });
    expect((list.interactive as { action: { sections: { rows: { title: string }[] }[] } }).action.sections[0]!.rows.map((r) => r.title)).toEqual(["One", "Two", "Three", "A row title longer than…"]);
  });

  it("reads a failed status with the platform's reason and time, and skips statuses and message types it does not know", () => {
    const at = new Date("2026-12-01T12:00:05Z");
    const parsed = events(statusesWebhook(PHONE_ID, [
      { wamid: "wamid.A", status: "failed", recipient: "15551234567", at, error: { code: 131026, title: "Message undeliverable" } },
      { wamid: "wamid.B", status: "deleted" as "read", recipient: "15551234567", at },
    ]));
    expect(parsed).toEqual([{ kind: "status", externalId: "status:wamid.A:failed", update: { channelId: channel.id, providerMessageId: "wamid.A", status: "failed", at: at.toISOString(), reason: "Message undeliverable (131026)" } }]);
    const sticker = { id: "wamid.S", from: "15551234567", timestamp: "1764590405", type: "sticker", sticker: { id: "123", mime_type: "image/webp" } };
    expect(events(messagesWebhook(PHONE_ID, [sticker]))).toEqual([]);
  });
});
