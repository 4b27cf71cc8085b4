import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMessages, webhookInbox } from "@/db/schema";
import { resetEnvForTests } from "@/server/env";
import { channelTenant, QUICK_REPLIES, WELCOME } from "../helpers/channel-turns";
import { startFakeGraphApi, type FakeGraphApi } from "../helpers/fake-graph-api";
import { createTestDb } from "../helpers/test-db";
import { signMeta } from "../helpers/webhook-signatures";

const PAGE_ID = "104512345678901";
const PAGE_TOKEN = "EAAGm0PX4ZCpsBAacme";
const APP_SECRET = "messenger-app-secret-acme";
const VERIFY_TOKEN = "acme-verify-7f3a";
const PSID = "6543210987654321";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let graph: FakeGraphApi;
let acme: Awaited<ReturnType<typeof channelTenant>>;

beforeAll(async () => {
  handle = await createTestDb();
  graph = await startFakeGraphApi({ tokens: { [PAGE_ID]: PAGE_TOKEN } });
  process.env.OUTBOUND_ALLOWED_HOSTS = graph.host;
  resetEnvForTests();
  acme = await channelTenant(handle, "owner@acme.test", {
    type: "messenger",
    enabled: true,
    settings: { page_id: PAGE_ID, api_base_url: `${graph.baseUrl}/v19.0` },
    secrets: { page_access_token: PAGE_TOKEN, app_secret: APP_SECRET, verify_token: VERIFY_TOKEN },
  });
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await graph?.close();
  await handle?.dispose();
});

/** A page webhook as Meta posts it: entry[].messaging[] from the person (sender) to the page (recipient). */
const pageWebhook = (messaging: Record<string, unknown>) =>
  JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: Date.now(), ...messaging }] }] });
const signedPost = (body: string) => acme.webhook({ body, headers: signMeta(body, APP_SECRET) });
const inboxRows = async () => handle.db.select().from(webhookInbox).where(eq(webhookInbox.tenantId, acme.tenantId));

describe("Messenger webhook", () => {
  it("answers Meta's subscription handshake with the challenge, and a wrong verify token with 403", async () => {
    const ok = await acme.webhook({ method: "GET", query: `?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444` });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await acme.webhook({ method: "GET", query: "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444" });
    expect(wrong.status).toBe(403);
  });

  it("answers a signed text at the Send API with the flow's words and quick replies; the page's echo is ignored", async () => {
    const res = await signedPost(pageWebhook({ message: { mid: "m_In1", text: "Hi, do you ship to Canada?" } }));
    expect(await res.json()).toMatchObject({ data: { received: 1, stored: 1 } });
    expect(await acme.runTurnsAndSend()).toBe(1);
    expect(graph.sent).toHaveLength(1);
    expect(graph.sent[0]).toMatchObject({
      id: PAGE_ID,
      authorization: `Bearer ${PAGE_TOKEN}`,
      body: { recipient: { id: PSID }, messaging_type: "RESPONSE", message: { text: WELCOME, quick_replies: QUICK_REPLIES.map((q) => ({ content_type: "text", title: q, payload: q })) } },
    });

    // Meta echoes the page's own send back to the webhook; answering it would loop.
    const echo = pageWebhook({ sender: { id: PAGE_ID }, recipient: { id: PSID }, message: { mid: "m_1", is_echo: true, app_id: 1517776481860111, text: WELCOME } });
    expect(await (await signedPost(echo)).json()).toMatchObject({ data: { received: 0, stored: 0 } });
    expect(await acme.runTurnsAndSend()).toBe(0);
    expect(graph.sent).toHaveLength(1);
  });

  it("moves the reply's delivery_status to delivered, then read, by Messenger's watermarks", async () => {
    const [reply] = await handle.db.select().from(outboxMessages).where(eq(outboxMessages.tenantId, acme.tenantId));
    expect(reply).toMatchObject({ state: "accepted", providerMessageId: "m_1", deliveryStatus: "sent" });
    const status = async () => (await handle.db.select().from(outboxMessages).where(eq(outboxMessages.id, reply!.id)))[0]!.deliveryStatus;

    const deliveredAt = reply!.acceptedAt!.getTime() + 1000;
    await signedPost(pageWebhook({ delivery: { watermark: deliveredAt } }));
    await acme.runTurnsAndSend();
    expect(await status()).toBe("delivered");

    await signedPost(pageWebhook({ read: { watermark: deliveredAt + 1000 } }));
    await acme.runTurnsAndSend();
    expect(await status()).toBe("read");
    expect((await inboxRows()).map((r) => [r.kind, r.state])).toEqual([
      ["message", "done"],
      ["watermark", "done"],
      ["watermark", "done"],
    ]);
  });
});
