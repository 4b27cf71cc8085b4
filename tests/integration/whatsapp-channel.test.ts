import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { GET, POST } from "@/app/api/webhooks/[type]/[channelId]/route";
import { channels, messages, outboxMessages, webhookInbox } from "@/db/schema";
import { installKv } from "@/server/cache";
import { WINDOW_CLOSED_REASON } from "@/server/channels/adapters/graph-errors";
import { installDbHandle } from "@/server/db";
import { resetEnvForTests } from "@/server/env";
import { upsertChannel } from "@/server/channels/channel-service";
import { handleWebhook } from "@/server/channels/webhook-handler";
import { processInboxBatch } from "@/server/channels/inbox-processor";
import { deliverOutboxBatch } from "@/server/outbox/deliver";
import type { PipelineDeps } from "@/server/pipeline/process-message";
import { postWebhook, sendStatusWebhook, startFakeGraphApi, type FakeGraphApi } from "../helpers/fake-graph-api";
import { bridgeMessage, startFakeWhatsappBridge } from "../helpers/fake-whatsapp-bridge";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { signBridge, signMeta } from "../helpers/webhook-signatures";
import { conversationOf as conversationOfUser, drainDelivery, inboundOf as inboundOfUser, shopFlow, whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";
import { messagesWebhook, textMessage } from "../helpers/whatsapp-webhooks";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let graph: FakeGraphApi;
let bridge: Awaited<ReturnType<typeof startFakeWhatsappBridge>>;
/** The Cloud API tenant, and another tenant's channel in bridge mode. */
let wa: WhatsappTenant;
let bridged: WhatsappTenant;
let deps: PipelineDeps;
const kv = createTestKv();
const PHONE_ID = "106540352242922";

const route = (publicKey: string) => ({ params: Promise.resolve({ type: "whatsapp", channelId: publicKey }) });
const webhook = (req: Request) => POST(req, route(wa.publicKey));
const signed = (body: string) => postWebhook(webhook, body, signMeta(body, wa.secrets.app_secret!));
const bridgeWebhook = (req: Request) => POST(req, route(bridged.publicKey));
const signedByBridge = (body: string) => postWebhook(bridgeWebhook, body, signBridge(body, bridged.secrets.bridge_secret!));
// As a deployment allows a self-hosted or test platform; every other private address stays refused.
const allowPlatforms = (hosts = [graph.host, bridge.host]) => {
  process.env.OUTBOUND_ALLOWED_HOSTS = hosts.join(",");
  resetEnvForTests();
};

const conversationOf = (userId: string, tenant = wa) => conversationOfUser(handle.db, tenant.tenantId, userId);
const inboundOf = (userId: string, tenant = wa) => inboundOfUser(handle.db, tenant.tenantId, userId);
const outboxOf = async (userId: string, tenant = wa) => handle.db.select().from(outboxMessages).where(eq(outboxMessages.conversationId, (await conversationOf(userId, tenant))!.id)).orderBy(asc(outboxMessages.sequence));
const sentTo = (number: string) => graph.sent.filter((s) => s.body.to === number).map((s) => s.body);

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  graph = await startFakeGraphApi({ tokens: {} });
  // The spec's bridge confirms each send with a signed message.sent callback to the channel's webhook.
  bridge = await startFakeWhatsappBridge({ callback: (body) => signedByBridge(body) });
  allowPlatforms();
  wa = await whatsappTenant(handle.db, { company: "Shoes", mode: "cloud", apiBaseUrl: `${graph.baseUrl}/v19.0`, phoneNumberId: PHONE_ID });
  graph.tokens[PHONE_ID] = wa.secrets.access_token!;
  // A bridge knows no profile names.
  bridged = await whatsappTenant(handle.db, { company: "Bridgeco", mode: "bridge", apiBaseUrl: bridge.baseUrl, flow: shopFlow("Hi! Which size?") });
  deps = { db: handle.db };
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await graph.close();
  await bridge.close();
  await kv.close();
  await handle.dispose();
});

describe("WhatsApp Cloud API webhook", () => {
  it("answers Meta's verification handshake with the challenge, and refuses a wrong verify token", async () => {
    const verify = (token: string) => GET(new Request(`http://127.0.0.1/api/webhooks/whatsapp/${wa.publicKey}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`), route(wa.publicKey));
    const wrong = await verify("not-the-token");
    expect(wrong.status).toBe(403);
    const [before] = await handle.db.select().from(channels).where(eq(channels.id, wa.channelId));
    expect(before!.webhookVerifiedAt).toBeNull();

    const right = await verify(wa.secrets.verify_token!);
    expect(right.status).toBe(200);
    expect(right.headers.get("content-type")).toContain("text/plain");
    expect(await right.text()).toBe("1158201444");
    const [after] = await handle.db.select().from(channels).where(eq(channels.id, wa.channelId));
    expect(after!.webhookVerifiedAt).not.toBeNull();
  });

  it("stores a signed text message, runs the flow and sends its reply as reply buttons to the sender; a tapped button continues with a list", async () => {
    const res = await signed(messagesWebhook(PHONE_ID, [textMessage("wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTdG", "15551234567", "Hello, I need help with my order")], "John Doe"));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ received: 1, stored: 1 });
    const [row] = await handle.db.select().from(webhookInbox).where(eq(webhookInbox.externalId, "wamid.HBgLMTU1NTEyMzQ1NjcVAgASGBQzQTdG"));
    expect(row).toMatchObject({ state: "pending", kind: "message", tenantId: wa.tenantId });

    await drainDelivery(handle.db, deps);
    const [first] = sentTo("15551234567");
    expect(graph.sent[0]!.authorization).toBe(`Bearer ${wa.secrets.access_token}`);
    expect(graph.sent[0]!.id).toBe(PHONE_ID);
    expect(first).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "15551234567",
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Hi John Doe! Which size?" },
        action: { buttons: ["Small", "Medium", "Large"].map((title, i) => ({ type: "reply", reply: { id: `${i + 1}:${title}`, title } })) },
      },
    });
    const [inbox] = await handle.db.select().from(webhookInbox).where(eq(webhookInbox.id, row!.id));
    expect(inbox).toMatchObject({ state: "done", attempts: 1 });
    expect((await outboxOf("wa:15551234567"))[0]).toMatchObject({ state: "accepted", deliveryStatus: "sent", providerMessageId: expect.stringMatching(/^wamid\./) });

    const tap = { id: "wamid.tap1", from: "15551234567", timestamp: String(Math.floor(Date.now() / 1000)), type: "interactive", interactive: { type: "button_reply", button_reply: { id: "2:Medium", title: "Medium" } } };
    expect((await signed(messagesWebhook(PHONE_ID, [tap]))).status).toBe(200);
    await drainDelivery(handle.db, deps);
    const inbound = await inboundOf("wa:15551234567");
    expect(inbound.map((m) => m.text)).toEqual(["Hello, I need help with my order", "Medium"]);
    expect(JSON.stringify(inbound[1]!.metadata)).toContain('"reply_id":"2:Medium"');
    expect(sentTo("15551234567")[1]).toMatchObject({
      type: "interactive",
      interactive: { type: "list", body: { text: "And which colour?" }, action: { button: "Choose", sections: [{ rows: ["Red", "Green", "Blue", "Black", "White"].map((title, i) => ({ id: `${i + 1}:${title}`, title })) }] } },
    });
  });

  it("moves a reply's delivery status sent → delivered → read from the platform's callbacks, and ignores a late delivered", async () => {
    const [reply] = await outboxOf("wa:15551234567");
    const wamid = reply!.providerMessageId!;
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));
    const status = (s: "sent" | "delivered" | "read", second: number) => sendStatusWebhook(webhook, { appSecret: wa.secrets.app_secret!, phoneNumberId: PHONE_ID, statuses: [{ wamid, status: s, recipient: "15551234567", at: at(second) }] });
    const current = async () => (await handle.db.select().from(outboxMessages).where(eq(outboxMessages.id, reply!.id)))[0]!;

    expect((await status("delivered", 5)).status).toBe(200);
    await drainDelivery(handle.db, deps);
    expect(await current()).toMatchObject({ deliveryStatus: "delivered", deliveryStatusAt: at(5) });
    await status("read", 9);
    await drainDelivery(handle.db, deps);
    // Meta resends callbacks and they can arrive out of order: a delivered after read changes nothing.
    await status("delivered", 7);
    await drainDelivery(handle.db, deps);
    expect(await current()).toMatchObject({ deliveryStatus: "read", deliveryStatusAt: at(9) });
  });

  it("parses image and location messages into the stored inbound messages, in the order they came", async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const image = { id: "wamid.img1", from: "447700900123", timestamp: now, type: "image", image: { id: "1479537139650973", mime_type: "image/jpeg", sha256: "kPnrq0eR8u3d", caption: "The broken strap" } };
    const location = { id: "wamid.loc1", from: "447700900123", timestamp: now, type: "location", location: { latitude: 51.5034, longitude: -0.1276, name: "Downing Street", address: "10 Downing St, London" } };
    expect((await signed(messagesWebhook(PHONE_ID, [image, location], "Ada"))).status).toBe(200);
    await drainDelivery(handle.db, deps);
    const inbound = await inboundOf("wa:447700900123");
    expect(inbound.map((m) => m.content)).toEqual([
      { type: "image", url: `${graph.baseUrl}/v19.0/1479537139650973`, mime_type: "image/jpeg", caption: "The broken strap" },
      { type: "location", latitude: 51.5034, longitude: -0.1276, name: "Downing Street" },
    ]);
    expect(JSON.stringify(inbound[0]!.metadata)).toContain('"media_id":"1479537139650973"');
    expect(sentTo("447700900123")).toHaveLength(2);
  });

  it("stores and answers a wamid delivered several times, concurrently and again later, once", async () => {
    const body = messagesWebhook(PHONE_ID, [textMessage("wamid.dup1", "4915112345678", "Hallo")], "Grete");
    const answers = await Promise.all([signed(body), signed(body), signed(body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await drainDelivery(handle.db, deps);
    expect((await signed(body)).status).toBe(200);
    await drainDelivery(handle.db, deps);
    expect(await handle.db.select().from(webhookInbox).where(eq(webhookInbox.externalId, "wamid.dup1"))).toHaveLength(1);
    expect((await inboundOf("wa:4915112345678")).map((m) => m.text)).toEqual(["Hallo"]);
    expect(sentTo("4915112345678").map((b) => (b.interactive as { body: { text: string } }).body.text)).toEqual(["Hi Grete! Which size?"]);
  });

  it("acknowledges a known channel's webhooks with one statement, and a change to the channel counts from the very next webhook", async () => {
    const t = await whatsappTenant(handle.db, { company: "Rotor", mode: "cloud", apiBaseUrl: `${graph.baseUrl}/v19.0`, phoneNumberId: "2220001" });
    let statements = 0;
    const counting = new Proxy(handle.db, { get: (db, key, receiver) => (["select", "execute", "update", "insert", "transaction"].includes(String(key)) && statements++, Reflect.get(db, key, receiver)) }) as Db;
    const post = async (wamid: string, secret: string) => {
      const body = messagesWebhook("2220001", [textMessage(wamid, "15557770000", "hi")]);
      statements = 0;
      const res = await postWebhook((req) => handleWebhook({ db: counting }, req, { type: "whatsapp", channelId: t.publicKey }), body, signMeta(body, secret));
      return { status: res.status, statements, stored: (await handle.db.select().from(webhookInbox).where(eq(webhookInbox.externalId, wamid))).length };
    };
    // The first webhook reads the channel (and marks it connected); the next ones are only their insert.
    expect(await post("wamid.rotor.1", t.secrets.app_secret!)).toMatchObject({ status: 200, stored: 1 });
    expect(await post("wamid.rotor.2", t.secrets.app_secret!)).toEqual({ status: 200, statements: 1, stored: 1 });

    // The tenant rotates the app secret: the old one is refused at once, the new one accepted.
    const rotated = { ...t.secrets, app_secret: "rotated-app-secret" };
    await upsertChannel(handle.db, t.tenantId, null, { type: "whatsapp", settings: {}, secrets: rotated });
    expect(await post("wamid.rotor.3", t.secrets.app_secret!)).toMatchObject({ status: 401, stored: 0 });
    expect(await post("wamid.rotor.4", rotated.app_secret)).toMatchObject({ status: 200, stored: 1 });
    expect(await post("wamid.rotor.5", rotated.app_secret)).toEqual({ status: 200, statements: 1, stored: 1 });

    // Turned off: the next webhook is refused and nothing is stored; turned on again, it is stored.
    await upsertChannel(handle.db, t.tenantId, null, { type: "whatsapp", enabled: false, settings: {}, secrets: {} });
    expect(await post("wamid.rotor.6", rotated.app_secret)).toMatchObject({ status: 404, stored: 0 });
    await upsertChannel(handle.db, t.tenantId, null, { type: "whatsapp", enabled: true, settings: {}, secrets: {} });
    expect(await post("wamid.rotor.7", rotated.app_secret)).toMatchObject({ status: 200, stored: 1 });
    // Not answered: the fake Graph API knows no token for this number, so the other tests' deliveries would meet its refusals.
    await handle.db.update(webhookInbox).set({ state: "done" }).where(eq(webhookInbox.channelId, t.channelId));
  });

  it("ignores a change for another phone number of the same Meta app", async () => {
    const res = await signed(messagesWebhook("999999999999999", [textMessage("wamid.other1", "15550009999", "Hi")]));
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ received: 0, stored: 0 });
    expect(await handle.db.select().from(webhookInbox).where(eq(webhookInbox.externalId, "wamid.other1"))).toHaveLength(0);
  });
});

describe("WhatsApp Cloud API sends", () => {
  it("fails a reply outside the 24-hour customer service window visibly, without calling the platform", async () => {
    await signed(messagesWebhook(PHONE_ID, [textMessage("wamid.late1", "15557770000", "Are you there?")]));
    const before = graph.sent.length;
    await processInboxBatch(handle.db, () => deps, new Date());
    // The reply waited (the platform was down, say) until a day and an hour after the customer wrote.
    await deliverOutboxBatch(handle.db, { now: new Date(Date.now() + 25 * 3600_000) });
    const [reply] = await outboxOf("wa:15557770000");
    expect(reply).toMatchObject({ state: "failed", lastError: WINDOW_CLOSED_REASON, lastErrorCode: "window_closed" });
    expect(graph.sent.length).toBe(before);
  });

  it("sends through the SSRF guard: once the operator no longer allows the API host, the reply fails and nothing is sent", async () => {
    await signed(messagesWebhook(PHONE_ID, [textMessage("wamid.ssrf1", "15556660000", "Hi")]));
    await processInboxBatch(handle.db, () => deps, new Date());
    const before = graph.sent.length + graph.refused.length;
    allowPlatforms([]);
    try {
      await deliverOutboxBatch(handle.db, { now: new Date(Date.now() + 1000) });
    } finally {
      allowPlatforms();
    }
    const [reply] = await outboxOf("wa:15556660000");
    expect(reply).toMatchObject({ state: "failed", lastErrorCode: "blocked_destination" });
    expect(reply!.lastError).toContain("not allowed");
    expect(graph.sent.length + graph.refused.length).toBe(before);
  });

  it("retries a throttled send after the platform's Retry-After, and fails an expired window (131047) without retrying", async () => {
    graph.failNext(1, { status: 429, code: 130429, message: "(#130429) Rate limit hit", retryAfterS: 30 });
    await signed(messagesWebhook(PHONE_ID, [textMessage("wamid.thr1", "15558880000", "Hi")]));
    await processInboxBatch(handle.db, () => deps, new Date());
    const now = new Date();
    await deliverOutboxBatch(handle.db, { now, random: () => 0.5 });
    const [throttled] = await outboxOf("wa:15558880000");
    expect(throttled).toMatchObject({ state: "queued", lastErrorCode: "meta_130429" });
    expect(throttled!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(now.getTime() + 30_000);

    graph.failNext(1, { status: 400, code: 131047, message: "(#131047) Re-engagement message" });
    await deliverOutboxBatch(handle.db, { now: new Date(now.getTime() + 31_000) });
    const [closed] = await outboxOf("wa:15558880000");
    expect(closed).toMatchObject({ state: "failed", lastErrorCode: "window_closed", lastError: WINDOW_CLOSED_REASON });
    expect(graph.refused.slice(-2).map((r) => r.status)).toEqual([429, 400]);
  });
});

describe("WhatsApp bridge mode", () => {
  const BUSINESS = "+15550001111";
  const FIRST = "Hi! Which size?\n\n1. Small\n2. Medium\n3. Large";

  it("runs a signed message.received into the flow and sends the reply to the bridge, whose message.sent callback marks it delivered", async () => {
    const verifiedAt = async () => (await handle.db.select().from(channels).where(eq(channels.id, bridged.channelId)))[0]!.webhookVerifiedAt;
    // A bridge has no handshake: the channel shows as connected once its first signed event arrived.
    expect(await verifiedAt()).toBeNull();
    const res = await signedByBridge(bridgeMessage({ from: "+15551234567", to: BUSINESS, messageId: "mock_in_1", text: "Hello there" }));
    expect(res.status).toBe(200);
    expect(await verifiedAt()).not.toBeNull();
    await drainDelivery(handle.db, deps);
    expect(bridge.sent).toEqual([{ to: "+15551234567", from: BUSINESS, message: FIRST, signature: expect.stringMatching(/^sha256=[0-9a-f]{64}$/) }]);
    expect((await inboundOf("wa:+15551234567", bridged)).map((m) => m.text)).toEqual(["Hello there"]);

    await bridge.settled();
    await drainDelivery(handle.db, deps);
    expect((await outboxOf("wa:+15551234567", bridged))[0]).toMatchObject({ state: "accepted", providerMessageId: bridge.ids[0], deliveryStatus: "delivered" });
  });

  it("keeps a reply queued while the bridge answers 503 and delivers it when the bridge is back", async () => {
    bridge.failNext(1, 503);
    await signedByBridge(bridgeMessage({ from: "+15551234567", to: BUSINESS, messageId: "mock_in_2", text: "Large" }));
    await processInboxBatch(handle.db, () => deps, new Date());
    const now = new Date();
    await deliverOutboxBatch(handle.db, { now, random: () => 0.5 });
    expect((await outboxOf("wa:+15551234567", bridged))[1]).toMatchObject({ state: "queued", lastErrorCode: "http_503" });
    expect(bridge.sent).toHaveLength(1);

    await deliverOutboxBatch(handle.db, { now: new Date(now.getTime() + 10 * 60_000) });
    expect(bridge.sent.map((s) => s.message)).toEqual([FIRST, "And which colour?\n\n1. Red\n2. Green\n3. Blue\n4. Black\n5. White"]);
    expect((await outboxOf("wa:+15551234567", bridged))[1]).toMatchObject({ state: "accepted", providerMessageId: bridge.ids[1] });
  });
});
