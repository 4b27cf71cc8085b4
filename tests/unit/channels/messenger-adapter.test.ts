import { describe, expect, it } from "vitest";
import type { WebhookChannel } from "@/server/channels/channel-service";
import { messengerAdapter } from "@/server/channels/adapters/messenger";
import { messengerMessages, messengerSendError } from "@/server/channels/adapters/messenger-send";
import { WebhookAuthError, type WebhookRequest } from "@/server/channels/adapters/types";
import { signMeta } from "../../helpers/webhook-signatures";

const APP_SECRET = "messenger-app-secret";
const PAGE_ID = "104512345678901";
const PSID = "6543210987654321";
const channel: WebhookChannel = {
  id: "0c9a2d36-7c5b-4a44-9f0e-3a1b5c7d9e21",
  tenantId: "00000000-0000-4000-8000-000000000001",
  type: "messenger",
  enabled: true,
  settings: { page_id: PAGE_ID, api_base_url: "https://graph.facebook.com/v19.0" },
  secrets: { page_access_token: "EAAtoken", app_secret: APP_SECRET, verify_token: "verify-me" },
  webhookVerifiedAt: null, updatedAt: new Date(),
};

const post = (raw: string, headers: Record<string, string>): WebhookRequest => ({ method: "POST", url: new URL("http://127.0.0.1/api/webhooks/messenger/ch_x"), headers: new Headers(headers), rawBody: raw, now: new Date() });
/** A page webhook as Meta posts it: entry[].messaging[] for the page. */
const pageWebhook = (messaging: Record<string, unknown>[], pageId = PAGE_ID) => JSON.stringify({ object: "page", entry: [{ id: pageId, time: 1772445600500, messaging }] });
const from = (extra: Record<string, unknown>) => ({ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: 1772445600000, ...extra });
const events = (raw: string) => messengerAdapter.parse(post(raw, signMeta(raw, APP_SECRET)), channel).events;

describe("Messenger webhook", () => {
  it("answers Meta's handshake with the challenge only for the channel's verify token", async () => {
    const get = (token: string) => ({ ...post("", {}), method: "GET" as const, url: new URL(`http://127.0.0.1/api/webhooks/messenger/ch_x?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`) });
    const ok = messengerAdapter.handshake!(get("verify-me"), channel);
    expect(ok?.status).toBe(200);
    expect(await ok?.text()).toBe("1158201444");
    expect(messengerAdapter.handshake!(get("guess"), channel)?.status).toBe(403);
  });

  it("accepts only bodies signed with the app secret", () => {
    const raw = pageWebhook([from({ message: { mid: "m_1", text: "hi" } })]);
    expect(() => messengerAdapter.authenticate(post(raw, signMeta(raw, APP_SECRET)), channel)).not.toThrow();
    for (const headers of [signMeta(raw, "forged"), signMeta(raw.replace("hi", "yo"), APP_SECRET), { "content-type": "application/json" }]) {
      expect(() => messengerAdapter.authenticate(post(raw, headers), channel)).toThrow(WebhookAuthError);
    }
  });

  it("turns a text into a message event for the sender's PSID", () => {
    expect(events(pageWebhook([from({ message: { mid: "m_AbC1", text: "Do you ship to Canada?" } })]))).toEqual([
      {
        kind: "message",
        externalId: "m_AbC1",
        userId: `fb:${PSID}`,
        content: { type: "text", text: "Do you ship to Canada?" },
        channelMetadata: { psid: PSID, page_id: PAGE_ID },
        address: { channel_id: channel.id, recipient: PSID },
        sentAt: "2026-03-02T10:00:00.000Z",
      },
    ]);
  });

  it("reads a quick-reply tap as its payload, a postback as its title, and a photo and a location as such", () => {
    const parsed = events(
      pageWebhook([
        from({ message: { mid: "m_2", text: "Track an ord…", quick_reply: { payload: "Track an order please" } } }),
        from({ timestamp: 1772445601000, postback: { title: "Get Started", payload: "GET_STARTED" } }),
        from({ message: { mid: "m_3", attachments: [{ type: "image", payload: { url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/shoe.png?oh=1" } }] } }),
        from({ message: { mid: "m_4", attachments: [{ type: "location", payload: { title: "Pinned Location", coordinates: { lat: 52.52, long: 13.405 } } }] } }),
      ]),
    );
    expect(parsed.map((e) => (e.kind === "message" ? [e.externalId, e.content] : null))).toEqual([
      ["m_2", { type: "text", text: "Track an order please" }],
      [`postback:${PSID}:1772445601000`, { type: "text", text: "Get Started" }],
      ["m_3", { type: "image", url: "https://scontent.xx.fbcdn.net/v/t1.15752-9/shoe.png?oh=1", mime_type: "image/png" }],
      ["m_4", { type: "location", latitude: 52.52, longitude: 13.405, name: "Pinned Location" }],
    ]);
  });

  it("ignores echoes of the page's own sends and entries for another page", () => {
    expect(events(pageWebhook([from({ sender: { id: PAGE_ID }, recipient: { id: PSID }, message: { mid: "m_echo", is_echo: true, app_id: 1517776481860111, text: "Hi!" } })]))).toEqual([]);
    expect(events(pageWebhook([from({ message: { mid: "m_5", text: "hi" } })], "999999999999999"))).toEqual([]);
    expect(events(JSON.stringify({ object: "instagram", entry: [{ id: PAGE_ID, messaging: [from({ message: { mid: "m_6", text: "hi" } })] }] }))).toEqual([]);
  });

  it("turns delivery receipts into per-message statuses, and watermarks into watermark events", () => {
    const parsed = events(
      pageWebhook([
        from({ delivery: { mids: ["m_sent1", "m_sent2"], watermark: 1772445605000 } }),
        from({ delivery: { watermark: 1772445606000 } }),
        from({ read: { watermark: 1772445607000 } }),
      ]),
    );
    expect(parsed).toEqual([
      { kind: "status", externalId: "delivered:m_sent1", update: { channelId: channel.id, providerMessageId: "m_sent1", status: "delivered", at: "2026-03-02T10:00:05.000Z" } },
      { kind: "status", externalId: "delivered:m_sent2", update: { channelId: channel.id, providerMessageId: "m_sent2", status: "delivered", at: "2026-03-02T10:00:05.000Z" } },
      { kind: "watermark", externalId: `watermark:${PSID}:delivered:1772445606000`, watermark: { channelId: channel.id, recipient: PSID, status: "delivered", before: "2026-03-02T10:00:06.000Z" } },
      { kind: "watermark", externalId: `watermark:${PSID}:read:1772445607000`, watermark: { channelId: channel.id, recipient: PSID, status: "read", before: "2026-03-02T10:00:07.000Z" } },
    ]);
  });
});

describe("Messenger replies", () => {
  it("sends quick replies with titles cut to 20 characters and the whole option as payload, at most 13", () => {
    const options = ["Track my order please", ...Array.from({ length: 14 }, (_, i) => `Option ${i}`)];
    const [message] = messengerMessages({ type: "text", text: "How can I help?", quick_replies: options });
    const replies = (message as { quick_replies: { title: string; payload: string }[] }).quick_replies;
    expect(replies).toHaveLength(13);
    expect(replies[0]).toEqual({ content_type: "text", title: "Track my order plea…", payload: "Track my order please" });
  });

  it("sends a carousel as its text, then a generic template with web_url buttons for http(s) links only", () => {
    const [text, cards] = messengerMessages({
      type: "carousel",
      text: "Laptops for you:",
      items: [
        { title: "DevBook 14", subtitle: "$899", image_url: "https://shop.example/devbook.jpg", payload: "https://shop.example/devbook" },
        { title: "Evil", image_url: "javascript:alert(1)", payload: "javascript:alert(1)" },
      ],
    });
    expect(text).toEqual({ text: "Laptops for you:" });
    expect(cards).toEqual({
      attachment: {
        type: "template",
        payload: {
          template_type: "generic",
          elements: [
            { title: "DevBook 14", subtitle: "$899", image_url: "https://shop.example/devbook.jpg", buttons: [{ type: "web_url", url: "https://shop.example/devbook", title: "Open link" }] },
            { title: "Evil" },
          ],
        },
      },
    });
  });
});

describe("Messenger send failures", () => {
  const graphAnswer = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify({ error: { type: "OAuthException", fbtrace_id: "AbC", ...error } }) });

  it("refuses to send outside the 24-hour window before calling Meta", async () => {
    const now = new Date();
    const send = messengerAdapter.send({ channel, address: { channel_id: channel.id, recipient: PSID }, message: { type: "text", text: "Still there?" }, lastInboundAt: new Date(now.getTime() - 25 * 3600_000), now });
    await expect(send).rejects.toMatchObject({ kind: "permanent", code: "window_closed", reason: "Outside Messenger's 24-hour standard messaging window; the person must write to the page first." });
  });

  it("maps Meta's answers: window closed and bad token or recipient are permanent, throttling is retried after Retry-After", () => {
    const now = Date.now();
    expect(messengerSendError(graphAnswer(400, { code: 10, error_subcode: 2018278, message: "(#10) This message is sent outside of allowed window." }), now)).toMatchObject({ kind: "permanent", code: "window_closed" });
    expect(messengerSendError(graphAnswer(400, { code: 10, message: "(#10) Requires pages_messaging permission" }), now)).toMatchObject({ kind: "permanent", code: "meta_10" });
    expect(messengerSendError(graphAnswer(401, { code: 190, message: "Invalid OAuth access token" }), now)).toMatchObject({ kind: "permanent", code: "meta_190", reason: "The access token was refused" });
    expect(messengerSendError(graphAnswer(400, { code: 551, message: "This person isn't available right now." }), now)).toMatchObject({ kind: "permanent", code: "meta_551" });
    expect(messengerSendError(graphAnswer(400, { code: 613, message: "Calls to this api have exceeded the rate limit." }, { "retry-after": "20" }), now)).toMatchObject({ kind: "retryable", code: "meta_613", retryAfterMs: 20_000 });
  });
});
