import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, outboxMessages, webhookInbox } from "@/db/schema";
import { getChannel } from "@/server/channels/channel-service";
import { resetEnvForTests } from "@/server/env";
import { getTranscript } from "@/server/inbox/transcript";
import { channelTenant, QUICK_REPLIES, WELCOME } from "../helpers/channel-turns";
import { startFakeSlackApi, type FakeSlackApi } from "../helpers/fake-slack-api";
import { createTestDb } from "../helpers/test-db";
import { signSlack } from "../helpers/webhook-signatures";

const BOT_TOKEN = "xoxb-1234-5678-acme";
const SIGNING_SECRET = "slack-signing-secret-acme";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let slack: FakeSlackApi;
let acme: Awaited<ReturnType<typeof channelTenant>>;

beforeAll(async () => {
  handle = await createTestDb();
  slack = await startFakeSlackApi({ botToken: BOT_TOKEN });
  process.env.OUTBOUND_ALLOWED_HOSTS = slack.host;
  resetEnvForTests();
  acme = await channelTenant(handle, "owner@acme.test", { type: "slack", enabled: true, settings: { team_id: "T0ACME", api_base_url: slack.baseUrl }, secrets: { bot_token: BOT_TOKEN, signing_secret: SIGNING_SECRET } });
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await slack?.close();
  await handle?.dispose();
});

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const slackTs = (at: Date, n: number) => `${seconds(at)}.${String(n).padStart(6, "0")}`;

/** An Events API message callback as Slack posts it; the bot's own user is named in authorizations. */
function messageCallback(opts: { eventId: string; user: string; text: string; ts: string; thread_ts?: string; botId?: string }) {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0ACME",
    api_app_id: "A0ACME",
    event: { type: "message", channel: "C0SUPPORT", channel_type: "channel", user: opts.user, text: opts.text, ts: opts.ts, event_ts: opts.ts, ...(opts.thread_ts && { thread_ts: opts.thread_ts }), ...(opts.botId && { bot_id: opts.botId }) },
    type: "event_callback",
    event_id: opts.eventId,
    event_time: Number(opts.ts.split(".")[0]),
    authorizations: [{ enterprise_id: null, team_id: "T0ACME", user_id: "U0ACMEBOT", is_bot: true, is_enterprise_install: false }],
  });
}

const signedPost = (body: string, at: Date, extra: Record<string, string> = {}) => acme.webhook({ body, headers: { ...signSlack(body, SIGNING_SECRET, seconds(at)), ...extra } }, at);
const inboxCount = async () => (await handle.db.select().from(webhookInbox).where(eq(webhookInbox.channelId, (await channelRow()).id))).length;
const channelRow = async () => (await handle.db.query.channels.findFirst({ where: (c, { eq: is }) => is(c.publicKey, acme.channel.publicKey) }))!;
const outboxFor = async (ts: string) => (await handle.db.select().from(outboxMessages).where(and(eq(outboxMessages.tenantId, acme.tenantId), eq(outboxMessages.address, { channel_id: (await channelRow()).id, recipient: "C0SUPPORT", thread_id: ts }))));

describe("Slack Events API webhook", () => {
  it("answers url_verification with the challenge, stores nothing and shows the channel connected", async () => {
    expect((await getChannel(handle.db, acme.tenantId, "slack"))?.status.state).toBe("unverified");
    const now = new Date();
    const res = await signedPost(JSON.stringify({ token: "legacy-verification-token", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" }), now);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect(await inboxCount()).toBe(0);
    expect((await getChannel(handle.db, acme.tenantId, "slack"))?.status).toEqual({ state: "live", label: "Connected: webhook verified" });
  });

  it("answers a user's message once in the same channel and thread with the flow's words, though Slack retries it", async () => {
    const now = new Date();
    const ts = slackTs(now, 101);
    const body = messageCallback({ eventId: "Ev0ACME0001", user: "U0ALICE", text: "hello there", ts });
    const first = await signedPost(body, now);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: "success", data: { received: 1, stored: 1 } });
    // Slack did not see the ack in time and sends the same event again.
    const retry = await signedPost(body, new Date(now.getTime() + 1000), { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" });
    expect(await retry.json()).toMatchObject({ data: { received: 1, stored: 0 } });

    expect(await acme.runTurnsAndSend()).toBe(1);
    expect(await acme.runTurnsAndSend(new Date(Date.now() + 2000))).toBe(0);
    expect(slack.posted).toHaveLength(1);
    const [post] = slack.posted;
    expect(post).toMatchObject({ channel: "C0SUPPORT", thread_ts: ts, text: WELCOME, authorization: `Bearer ${BOT_TOKEN}` });
    expect(post!.blocks?.[1]).toMatchObject({ type: "actions", elements: QUICK_REPLIES.map((label) => ({ type: "button", text: { text: label }, value: label })) });
    const [row] = await outboxFor(ts);
    expect(row).toMatchObject({ state: "accepted", deliveryStatus: "sent", providerMessageId: expect.stringMatching(/^\d+\.\d{6}$/) });
  });

  it("gives a second user writing in the same thread a conversation of their own, answered in that thread", async () => {
    const [alice] = await outboxFor(slack.posted[0]!.thread_ts!);
    const now = new Date();
    await signedPost(messageCallback({ eventId: "Ev0ACME0006", user: "U0DAVE", text: "me too", ts: slackTs(now, 106), thread_ts: alice!.address.thread_id as string }), now);
    await acme.runTurnsAndSend();
    expect(slack.posted.at(-1)).toMatchObject({ channel: "C0SUPPORT", thread_ts: alice!.address.thread_id, text: WELCOME });
    const rows = await outboxFor(alice!.address.thread_id as string);
    const owners = await handle.db.select({ id: conversations.id, endUserId: conversations.endUserId }).from(conversations).where(inArray(conversations.id, rows.map((r) => r.conversationId)));
    expect(owners.map((o) => o.endUserId).sort()).toEqual(["slack:T0ACME:U0ALICE", "slack:T0ACME:U0DAVE"]);
  });

  it("stores nothing for the bot's own message or another bot's", async () => {
    const now = new Date();
    const before = await inboxCount();
    for (const body of [messageCallback({ eventId: "Ev0ACME0002", user: "U0ACMEBOT", text: WELCOME, ts: slackTs(now, 102) }), messageCallback({ eventId: "Ev0ACME0003", user: "U0OTHER", botId: "B0OTHER", text: "beep", ts: slackTs(now, 103) })]) {
      const res = await signedPost(body, now);
      expect(await res.json()).toMatchObject({ data: { received: 0, stored: 0 } });
    }
    expect(await inboxCount()).toBe(before);
  });

  it("retries a rate-limited reply only after Slack's Retry-After", async () => {
    const now = new Date();
    const ts = slackTs(now, 104);
    await signedPost(messageCallback({ eventId: "Ev0ACME0004", user: "U0BOB", text: "hi", ts }), now);
    slack.failNext(1, { status: 429, retryAfterS: 30 });
    const posts = slack.posted.length;
    await acme.runTurnsAndSend();
    expect(slack.refused.at(-1)).toBe("ratelimited");
    const [waiting] = await outboxFor(ts);
    expect(waiting).toMatchObject({ state: "queued", lastErrorCode: "ratelimited" });
    const sentAt = waiting!.updatedAt;
    expect(waiting!.nextAttemptAt.getTime()).toBe(sentAt.getTime() + 30_000);

    expect(await acme.runTurnsAndSend(new Date(sentAt.getTime() + 29_000))).toBe(0);
    expect(await acme.runTurnsAndSend(new Date(sentAt.getTime() + 30_500))).toBe(1);
    expect(slack.posted.length).toBe(posts + 1);
    expect(slack.posted.at(-1)).toMatchObject({ channel: "C0SUPPORT", thread_ts: ts, text: WELCOME });
  });

  it("fails a reply Slack refuses for the bot token, without retrying, and shows why", async () => {
    const now = new Date();
    const ts = slackTs(now, 105);
    await signedPost(messageCallback({ eventId: "Ev0ACME0005", user: "U0CAROL", text: "hi", ts }), now);
    slack.failNext(1, { error: "invalid_auth" });
    await acme.runTurnsAndSend();
    const [failed] = await outboxFor(ts);
    expect(failed).toMatchObject({ state: "failed", deliveryStatus: "failed", lastErrorCode: "invalid_auth" });
    expect(await acme.runTurnsAndSend(new Date(Date.now() + 10 * 60_000))).toBe(0);

    const transcript = await getTranscript(handle.db, acme.tenantId, failed!.conversationId);
    const reply = transcript.entries.find((e) => "delivery_status" in e && e.delivery_status === "failed");
    expect(reply).toMatchObject({ delivery_error: "Slack refused the bot token; save the Slack channel's bot token again." });
  });
});
