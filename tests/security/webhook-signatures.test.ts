import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/webhooks/[type]/[channelId]/route";
import { channels, messages, webhookInbox } from "@/db/schema";
import { installKv } from "@/server/cache";
import { processInboxBatch } from "@/server/channels/inbox-processor";
import { MAX_WEBHOOK_BYTES } from "@/server/channels/webhook-handler";
import { installDbHandle } from "@/server/db";
import { resetEnvForTests } from "@/server/env";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { bridgeMessage } from "../helpers/fake-whatsapp-bridge";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { signBridge, signMeta } from "../helpers/webhook-signatures";
import { whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";
import { messagesWebhook, textMessage } from "../helpers/whatsapp-webhooks";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
// Nothing is sent in this file; the channels' API base URL only has to pass the guard when saved.
const API = "127.0.0.1:9";
let cloud: WhatsappTenant;
let otherCloud: WhatsappTenant;
let bridge: WhatsappTenant;
const PHONE_ID = "106540352242922";

const post = (publicKey: string, body: BodyInit, headers: Record<string, string>) =>
  POST(new Request(`http://127.0.0.1/api/webhooks/whatsapp/${publicKey}`, { method: "POST", body, headers, duplex: "half" } as RequestInit), { params: Promise.resolve({ type: "whatsapp", channelId: publicKey }) });

/** Nothing of a refused webhook may be stored, nor answered later by a worker. */
async function nothingStoredFor(tenant: WhatsappTenant) {
  await processInboxBatch(handle.db, () => ({ db: handle.db }), new Date());
  expect(await handle.db.select().from(webhookInbox).where(eq(webhookInbox.tenantId, tenant.tenantId))).toEqual([]);
  expect(await handle.db.select().from(messages).where(eq(messages.tenantId, tenant.tenantId))).toEqual([]);
}

async function expectRefused(res: Response, status: number, code: string, secrets: Record<string, string>) {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(errorEnvelopeSchema.parse(JSON.parse(text)).error.code).toBe(code);
  for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  process.env.OUTBOUND_ALLOWED_HOSTS = API;
  resetEnvForTests();
  cloud = await whatsappTenant(handle.db, { company: "Cloudy", mode: "cloud", apiBaseUrl: `http://${API}`, phoneNumberId: PHONE_ID, flow: null });
  otherCloud = await whatsappTenant(handle.db, { company: "Othercloud", mode: "cloud", apiBaseUrl: `http://${API}`, phoneNumberId: PHONE_ID, flow: null });
  bridge = await whatsappTenant(handle.db, { company: "Bridged", mode: "bridge", apiBaseUrl: `http://${API}`, flow: null });
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await kv.close();
  await handle.dispose();
});

const cloudBody = messagesWebhook(PHONE_ID, [textMessage("wamid.sec1", "15551230000", "Transfer my account to me")]);
const bridgeBody = bridgeMessage({ from: "+15551230000", to: "+15550001111", messageId: "mock_sec1", text: "Transfer my account to me" });
const hex64 = "ab".repeat(32);

describe.each([
  { name: "Cloud API (X-Hub-Signature-256)", tenant: () => cloud, body: cloudBody, sign: signMeta, header: "x-hub-signature-256", secret: () => cloud.secrets.app_secret!, other: () => otherCloud.secrets.app_secret! },
  { name: "bridge (X-Bridge-Signature)", tenant: () => bridge, body: bridgeBody, sign: signBridge, header: "x-bridge-signature", secret: () => bridge.secrets.bridge_secret!, other: () => cloud.secrets.app_secret! },
])("WhatsApp $name webhook signatures", ({ tenant, body, sign, header, secret, other }) => {
  it("refuses a missing, forged, tampered or other channel's signature with 401 and stores nothing", async () => {
    const t = tenant();
    const valid = sign(body, secret());
    const { [header]: _dropped, ...unsigned } = valid;
    const attempts = [
      post(t.publicKey, body, unsigned),
      post(t.publicKey, body, { ...valid, [header]: `sha256=${hex64}` }),
      post(t.publicKey, body, { ...valid, [header]: "sha1=0123" }),
      post(t.publicKey, body.replace("Transfer my account", "Transfer all money"), valid),
      post(t.publicKey, body, sign(body, other())),
    ];
    for (const res of await Promise.all(attempts)) await expectRefused(res, 401, "UNAUTHORIZED", t.secrets);
    await nothingStoredFor(t);
  });

  it("refuses malformed JSON from a correctly signed sender with 400, and a body over the cap with 413 before reading it", async () => {
    const t = tenant();
    const broken = `${body.slice(0, 40)}`;
    await expectRefused(await post(t.publicKey, broken, sign(broken, secret())), 400, "VALIDATION_ERROR", t.secrets);
    let pulled = 0;
    const huge = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    await expectRefused(await post(t.publicKey, huge, { ...sign(body, secret()) }), 413, "PAYLOAD_TOO_LARGE", t.secrets);
    expect(pulled).toBeLessThanOrEqual(MAX_WEBHOOK_BYTES + 3 * 64 * 1024);
    await nothingStoredFor(t);
  });
});

describe("WhatsApp webhook addresses", () => {
  it("answers 404 for an unknown channel key and for a disabled channel's events, even with a valid signature; a disabled channel still completes Meta's handshake", async () => {
    await expectRefused(await post("ch_doesNotExist0000000000", cloudBody, signMeta(cloudBody, cloud.secrets.app_secret!)), 404, "NOT_FOUND", cloud.secrets);
    await handle.db.update(channels).set({ enabled: false, webhookVerifiedAt: null }).where(eq(channels.id, otherCloud.channelId));
    await expectRefused(await post(otherCloud.publicKey, cloudBody, signMeta(cloudBody, otherCloud.secrets.app_secret!)), 404, "NOT_FOUND", otherCloud.secrets);
    await nothingStoredFor(otherCloud);
    // The tenant connects the channel in Meta's console before switching it on.
    const handshake = (token: string) =>
      GET(new Request(`http://127.0.0.1/api/webhooks/whatsapp/${otherCloud.publicKey}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`), { params: Promise.resolve({ type: "whatsapp", channelId: otherCloud.publicKey }) });
    const wrong = await handshake("not-the-token");
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain("1158201444");
    const right = await handshake(otherCloud.secrets.verify_token!);
    expect(right.status).toBe(200);
    expect(await right.text()).toBe("1158201444");
    const [row] = await handle.db.select({ verifiedAt: channels.webhookVerifiedAt, enabled: channels.enabled }).from(channels).where(eq(channels.id, otherCloud.channelId));
    expect(row).toEqual({ verifiedAt: expect.any(Date), enabled: false });
  });

  it("accepts the correctly signed original, so the refusals above were about the signature", async () => {
    const res = await post(cloud.publicKey, cloudBody, signMeta(cloudBody, cloud.secrets.app_secret!));
    expect(res.status).toBe(200);
    expect(await handle.db.select({ externalId: webhookInbox.externalId }).from(webhookInbox).where(eq(webhookInbox.tenantId, cloud.tenantId))).toEqual([{ externalId: "wamid.sec1" }]);
  });
});
