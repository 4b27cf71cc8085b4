import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookInbox } from "@/db/schema";
import { resetEnvForTests } from "@/server/env";
import { upsertChannel } from "@/server/channels/channel-service";
import { channelTenant, webhookOf } from "../helpers/channel-turns";
import { createTestDb } from "../helpers/test-db";
import { signMeta, signSlack } from "../helpers/webhook-signatures";

const SLACK_SECRET = "slack-signing-secret-acme";
const OTHER_SLACK_SECRET = "slack-signing-secret-globex";
const APP_SECRET = "messenger-app-secret-acme";
const OTHER_APP_SECRET = "messenger-app-secret-other";
const PAGE_ID = "104512345678901";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let slack: Awaited<ReturnType<typeof channelTenant>>;
let messenger: { webhook: ReturnType<typeof webhookOf> };

// No send happens here; the API base URLs only have to pass the guard when saved.
beforeAll(async () => {
  handle = await createTestDb();
  process.env.OUTBOUND_ALLOWED_HOSTS = "127.0.0.1:9";
  resetEnvForTests();
  slack = await channelTenant(handle, "owner@acme.test", { type: "slack", enabled: true, settings: { api_base_url: "http://127.0.0.1:9" }, secrets: { bot_token: "xoxb-acme", signing_secret: SLACK_SECRET } });
  const page = await upsertChannel(handle.db, slack.tenantId, null, {
    type: "messenger",
    enabled: true,
    settings: { page_id: PAGE_ID, api_base_url: "http://127.0.0.1:9" },
    secrets: { page_access_token: "EAAacme", app_secret: APP_SECRET, verify_token: "verify" },
  });
  messenger = { webhook: webhookOf(handle, "messenger", page.publicKey) };
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await handle?.dispose();
});

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const slackBody = (text: string) =>
  JSON.stringify({ team_id: "T0ACME", type: "event_callback", event_id: `Ev${text.length}`, event: { type: "message", channel: "C0SUPPORT", user: "U0ALICE", text, ts: `${seconds(new Date())}.000100` }, authorizations: [{ user_id: "U0BOT" }] });
const messengerBody = (text: string) => JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: "6543210987654321" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: `m_${text.length}`, text } }] }] });

async function expectRefused(res: Response, secret: string) {
  const text = await res.text();
  expect(JSON.parse(text)).toMatchObject({ status: "error", error: { message: "The webhook signature is missing or invalid." } });
  // The refusal says nothing a forger could use: no secret and no expected signature.
  expect(text).not.toContain(secret);
  expect(text).not.toMatch(/v0=|sha256=/);
}

describe("webhook signatures: Slack v0 and Meta's X-Hub-Signature-256", () => {
  it("refuses Slack requests unsigned, forged, signed for another channel, tampered, stale or from the future, and stores nothing", async () => {
    const now = new Date();
    const body = slackBody("refund my order");
    const minutes = (m: number) => seconds(new Date(now.getTime() + m * 60_000));
    const { "x-slack-signature": signature } = signSlack(body, SLACK_SECRET, minutes(0));
    const formBody = `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", team: { id: "T0ACME" }, user: { id: "U0ALICE" }, channel: { id: "C0SUPPORT" }, actions: [{ value: "Refund", action_ts: "1.2" }] }))}`;
    const attempts: Record<string, { body: string; headers: Record<string, string> }> = {
      unsigned: { body, headers: { "content-type": "application/json" } },
      "no timestamp": { body, headers: { "content-type": "application/json", "x-slack-signature": signature! } },
      forged: { body, headers: signSlack(body, "guessed-secret", minutes(0)) },
      "another channel's secret": { body, headers: signSlack(body, OTHER_SLACK_SECRET, minutes(0)) },
      tampered: { body: slackBody("refund my order twice"), headers: signSlack(body, SLACK_SECRET, minutes(0)) },
      "six minutes old": { body, headers: signSlack(body, SLACK_SECRET, minutes(-6)) },
      "six minutes ahead": { body, headers: signSlack(body, SLACK_SECRET, minutes(6)) },
      "forged button click": { body: formBody, headers: { ...signSlack(formBody, "guessed-secret", minutes(0)), "content-type": "application/x-www-form-urlencoded" } },
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const res = await slack.webhook(attempt, now);
      expect(res.status, name).toBe(401);
      await expectRefused(res, SLACK_SECRET);
    }
    // The same request signed properly is taken: the refusals above were for the signature alone.
    const good = await slack.webhook({ body, headers: signSlack(body, SLACK_SECRET, minutes(-4)) }, now);
    expect(await good.json()).toMatchObject({ data: { stored: 1 } });
    expect(await handle.db.$count(webhookInbox)).toBe(1);
  });

  it("refuses Messenger posts unsigned, forged, signed with another app's secret, tampered or signed with SHA-1 only, and stores nothing", async () => {
    const body = messengerBody("where is my parcel");
    const sha1 = `sha1=${createHmac("sha1", APP_SECRET).update(body).digest("hex")}`;
    const attempts: Record<string, { body: string; headers: Record<string, string> }> = {
      unsigned: { body, headers: { "content-type": "application/json" } },
      forged: { body, headers: signMeta(body, "guessed-secret") },
      "another app's secret": { body, headers: signMeta(body, OTHER_APP_SECRET) },
      tampered: { body: messengerBody("where is my parcel now"), headers: signMeta(body, APP_SECRET) },
      "legacy SHA-1 header only": { body, headers: { "content-type": "application/json", "x-hub-signature": sha1 } },
    };
    const before = await handle.db.$count(webhookInbox);
    for (const [name, attempt] of Object.entries(attempts)) {
      const res = await messenger.webhook(attempt);
      expect(res.status, name).toBe(401);
      await expectRefused(res, APP_SECRET);
    }
    expect(await handle.db.$count(webhookInbox)).toBe(before);
    const good = await messenger.webhook({ body, headers: signMeta(body, APP_SECRET) });
    expect(await good.json()).toMatchObject({ data: { stored: 1 } });
  });
});
