import { describe, expect, it } from "vitest";
import type { WebhookChannel } from "@/server/channels/channel-service";
import { slackAdapter } from "@/server/channels/adapters/slack";
import { slackMessage } from "@/server/channels/adapters/slack-blocks";
import { slackSendResult } from "@/server/channels/adapters/slack-send";
import { WebhookAuthError, type InboundMessageEvent, type WebhookRequest } from "@/server/channels/adapters/types";
import { signSlack } from "../../helpers/webhook-signatures";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = new Date("2026-03-02T10:00:00Z");
const channel: WebhookChannel = {
  id: "7d3f0c3e-0a51-4a5e-9a55-0b7f4f3e2a10",
  tenantId: "00000000-0000-4000-8000-000000000001",
  type: "slack",
  enabled: true,
  settings: { team_id: "T0TEAM" },
  secrets: { bot_token: "xoxb-test", signing_secret: SECRET },
  webhookVerifiedAt: null, updatedAt: new Date(),
};

const request = (rawBody: string, headers: Record<string, string>, now = NOW): WebhookRequest => ({ method: "POST", url: new URL("http://127.0.0.1/api/webhooks/slack/ch_x"), headers: new Headers(headers), rawBody, now });
const signed = (body: unknown, at = NOW) => {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return request(raw, signSlack(raw, SECRET, Math.floor(at.getTime() / 1000)));
};

/** An Events API callback as Slack posts it (the bot's own user is in authorizations). */
const callback = (event: Record<string, unknown>, team = "T0TEAM") => ({
  token: "legacy",
  team_id: team,
  api_app_id: "A0APP",
  event: { channel: "C0SUPPORT", channel_type: "channel", ts: "1772445600.000100", event_ts: "1772445600.000100", ...event },
  type: "event_callback",
  event_id: "Ev0001",
  event_time: 1772445600,
  authorizations: [{ enterprise_id: null, team_id: team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
});
const parsed = (body: unknown) => slackAdapter.parse(signed(body), channel).events as InboundMessageEvent[];

describe("Slack request signatures (v0)", () => {
  it("accepts a request signed with the signing secret within five minutes either way", () => {
    const body = JSON.stringify(callback({ type: "message", user: "U0ALICE", text: "hi" }));
    for (const skewMs of [0, 4.5 * 60_000, -4.5 * 60_000]) {
      const req = request(body, signSlack(body, SECRET, Math.floor((NOW.getTime() + skewMs) / 1000)));
      expect(() => slackAdapter.authenticate(req, channel)).not.toThrow();
    }
  });

  it("refuses stale, future, forged, tampered and unsigned requests", () => {
    const body = JSON.stringify(callback({ type: "message", user: "U0ALICE", text: "hi" }));
    const at = (ms: number) => Math.floor((NOW.getTime() + ms) / 1000);
    const cases: [string, WebhookRequest, string][] = [
      ["stale", request(body, signSlack(body, SECRET, at(-6 * 60_000))), "more than 5 minutes off"],
      ["future", request(body, signSlack(body, SECRET, at(6 * 60_000))), "more than 5 minutes off"],
      ["forged", request(body, signSlack(body, "not-the-secret", at(0))), "does not match"],
      ["tampered", request(body.replace("hi", "pay me"), signSlack(body, SECRET, at(0))), "does not match"],
      ["unsigned", request(body, { "content-type": "application/json" }), "Missing Slack signature"],
      ["no timestamp", request(body, { "x-slack-signature": signSlack(body, SECRET, at(0))["x-slack-signature"]! }), "Missing Slack signature"],
    ];
    for (const [name, req, says] of cases) {
      expect(() => slackAdapter.authenticate(req, channel), name).toThrow(WebhookAuthError);
      expect(() => slackAdapter.authenticate(req, channel), name).toThrow(says);
    }
  });
});

describe("Slack events", () => {
  it("answers url_verification with the challenge and stores nothing", async () => {
    const result = slackAdapter.parse(signed({ token: "legacy", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" }), channel);
    expect(result.events).toEqual([]);
    expect(result.reply?.status).toBe(200);
    expect(await result.reply?.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("turns a channel message into a message event answered in its thread", () => {
    const [event] = parsed(callback({ type: "message", user: "U0ALICE", text: "Where is my order?" }));
    expect(event).toEqual({
      kind: "message",
      externalId: "C0SUPPORT:1772445600.000100",
      userId: "slack:T0TEAM:U0ALICE",
      content: { type: "text", text: "Where is my order?" },
      channelMetadata: { slack_channel: "C0SUPPORT", slack_user: "U0ALICE", team_id: "T0TEAM" },
      address: { channel_id: channel.id, recipient: "C0SUPPORT", thread_id: "1772445600.000100" },
      sentAt: "2026-03-02T10:00:00.000Z",
    });
  });

  it("keeps a reply in the user's thread, and a direct message out of threads", () => {
    const [inThread] = parsed(callback({ type: "message", user: "U0ALICE", text: "and now?", ts: "1772445700.000200", thread_ts: "1772445600.000100" }));
    expect(inThread?.address.thread_id).toBe("1772445600.000100");
    const [direct] = parsed(callback({ type: "message", user: "U0ALICE", text: "hello", channel: "D0DM", channel_type: "im" }));
    expect(direct?.address).toEqual({ channel_id: channel.id, recipient: "D0DM" });
  });

  it("strips the bot's mention from an app_mention and names it like the message event of the same post", () => {
    const mention = parsed(callback({ type: "app_mention", user: "U0ALICE", text: "<@U0BOT> track order 1001" }));
    const message = parsed(callback({ type: "message", user: "U0ALICE", text: "<@U0BOT> track order 1001" }));
    expect(mention[0]?.content).toEqual({ type: "text", text: "track order 1001" });
    // Slack sends both for one post in a channel the bot is in; one inbox row answers it once.
    expect(mention[0]?.externalId).toBe(message[0]?.externalId);
  });

  it("ignores the bot's own posts, other bots, edits, deletions, joins, other event types and other workspaces", () => {
    const ignored = [
      callback({ type: "message", user: "U0BOT", text: "Welcome!" }),
      callback({ type: "message", bot_id: "B0OTHER", user: "U0OTHERBOT", text: "beep" }),
      callback({ type: "message", subtype: "bot_message", bot_id: "B0OTHER", text: "beep" }),
      callback({ type: "message", subtype: "message_changed", message: { user: "U0ALICE", text: "edited" } }),
      callback({ type: "message", subtype: "message_deleted", previous_message: { user: "U0ALICE", text: "gone" } }),
      callback({ type: "message", subtype: "channel_join", user: "U0ALICE", text: "<@U0ALICE> has joined the channel" }),
      callback({ type: "reaction_added", user: "U0ALICE", reaction: "thumbsup" }),
      callback({ type: "app_mention", user: "U0ALICE", text: "<@U0BOT>" }),
      callback({ type: "message", user: "U0ALICE", text: "hi" }, "T0ELSEWHERE"),
    ];
    for (const body of ignored) expect(parsed(body), JSON.stringify(body)).toEqual([]);
  });

  it("refuses a signed body that is not JSON (400: Slack never sends one, so a retry cannot help)", () => {
    expect(() => parsed("not json")).toThrow("The webhook body is not valid JSON.");
  });

  it("keeps a shared image as an image with its caption", () => {
    const [event] = parsed(callback({ type: "message", subtype: "file_share", user: "U0ALICE", text: "this one", files: [{ id: "F0", name: "shoe.png", mimetype: "image/png", size: 5120, url_private: "https://files.slack.com/files-pri/T0-F0/shoe.png" }] }));
    expect(event?.content).toEqual({ type: "image", url: "https://files.slack.com/files-pri/T0-F0/shoe.png", mime_type: "image/png", size_bytes: 5120, caption: "this one" });
  });

  it("turns a click on one of our buttons (Interactivity URL, form body) into the user saying its value", () => {
    const payload = {
      type: "block_actions",
      user: { id: "U0ALICE", username: "alice", team_id: "T0TEAM" },
      team: { id: "T0TEAM", domain: "acme" },
      channel: { id: "C0SUPPORT", name: "support" },
      container: { type: "message", message_ts: "1772445601.000300", channel_id: "C0SUPPORT", is_ephemeral: false, thread_ts: "1772445600.000100" },
      message: { type: "message", ts: "1772445601.000300", thread_ts: "1772445600.000100", text: "Pick one" },
      actions: [{ action_id: "quick_reply_1", block_id: "b1", text: { type: "plain_text", text: "Track an order" }, value: "Track an order", type: "button", action_ts: "1772445610.123456" }],
    };
    const raw = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const req = request(raw, { ...signSlack(raw, SECRET, Math.floor(NOW.getTime() / 1000)), "content-type": "application/x-www-form-urlencoded" });
    expect(() => slackAdapter.authenticate(req, channel)).not.toThrow();
    const [event] = slackAdapter.parse(req, channel).events as InboundMessageEvent[];
    expect(event?.content).toEqual({ type: "text", text: "Track an order" });
    expect(event?.userId).toBe("slack:T0TEAM:U0ALICE");
    expect(event?.address).toEqual({ channel_id: channel.id, recipient: "C0SUPPORT", thread_id: "1772445600.000100" });
  });
});

describe("Slack replies as Block Kit", () => {
  it("escapes what anyone wrote, so <!channel> pings nobody and <url|label> hides no link", () => {
    expect(slackMessage({ type: "text", text: "Hi <!channel> & <https://evil.example|your bank>" }).text).toBe("Hi &lt;!channel&gt; &amp; &lt;https://evil.example|your bank&gt;");
  });

  it("sends quick replies as buttons of at most 75 characters under the text", () => {
    const long = "A".repeat(90);
    const { text, blocks } = slackMessage({ type: "text", text: "What can I do?", quick_replies: ["Track an order", long] });
    expect(text).toBe("What can I do?");
    expect(blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "What can I do?" } },
      {
        type: "actions",
        elements: [
          { type: "button", action_id: "quick_reply_0", text: { type: "plain_text", text: "Track an order", emoji: true }, value: "Track an order" },
          { type: "button", action_id: "quick_reply_1", text: { type: "plain_text", text: `${"A".repeat(74)}…`, emoji: true }, value: long },
        ],
      },
    ]);
  });

  it("sends a carousel as sections with a link button only for http(s) links", () => {
    const { text, blocks } = slackMessage({
      type: "carousel",
      text: "Laptops for you:",
      items: [
        { title: "DevBook 14", subtitle: "$899", payload: "https://shop.example/devbook" },
        { title: "Evil", payload: "javascript:alert(1)" },
        { title: "Plain" },
      ],
    });
    expect(text).toBe("Laptops for you:\n• DevBook 14\n• Evil\n• Plain");
    expect(blocks?.[1]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*DevBook 14*\n$899" }, accessory: { type: "button", action_id: "open_0", text: { type: "plain_text", text: "Open link", emoji: true }, url: "https://shop.example/devbook" } });
    expect(blocks?.[2]).toMatchObject({ accessory: { type: "button", value: "javascript:alert(1)", text: { text: "Choose" } } });
    expect(blocks?.[2]).not.toHaveProperty("accessory.url");
    expect(blocks?.[3]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*Plain*" } });
  });
});

describe("Slack send answers", () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: JSON.stringify(body) });
  const outcome = (res: ReturnType<typeof answer>) => {
    try {
      return slackSendResult(res);
    } catch (error) {
      return error;
    }
  };

  it("takes the ts of an accepted post as the message id", () => {
    expect(outcome(answer(200, { ok: true, channel: "C0SUPPORT", ts: "1772445601.000300" }))).toEqual({ providerMessageId: "1772445601.000300" });
  });

  it("retries rate limits, Slack's own failures and 5xx; refuses for good what a retry cannot fix", () => {
    expect(outcome(answer(429, { ok: false, error: "ratelimited" }, { "retry-after": "7" }))).toMatchObject({ kind: "retryable", code: "ratelimited", retryAfterMs: 7000 });
    expect(outcome(answer(200, { ok: false, error: "internal_error" }))).toMatchObject({ kind: "retryable", code: "internal_error" });
    expect(outcome(answer(503, { ok: false }))).toMatchObject({ kind: "retryable", code: "http_503" });
    expect(outcome(answer(200, { ok: false, error: "not_in_channel" }))).toMatchObject({ kind: "permanent", code: "not_in_channel", reason: "The bot is not a member of this Slack channel; invite it to the channel." });
    expect(outcome(answer(200, { ok: false, error: "token_revoked" }))).toMatchObject({ kind: "permanent", code: "token_revoked" });
    expect(outcome(answer(200, { ok: false, error: "invalid_blocks" }))).toMatchObject({ kind: "permanent", code: "invalid_blocks", reason: "Slack refused the message: invalid_blocks." });
  });
});
