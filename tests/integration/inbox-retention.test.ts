import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/[type]/[channelId]/route";
import { webhookInbox } from "@/db/schema";
import { INBOX_RETENTION_DAYS, pruneWebhookInbox } from "@/server/channels/inbox-retention";
import { installDbHandle } from "@/server/db";
import { resetEnvForTests } from "@/server/env";
import { createTestDb } from "../helpers/test-db";
import { signMeta } from "../helpers/webhook-signatures";
import { whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";
import { messagesWebhook, textMessage } from "../helpers/whatsapp-webhooks";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let shop: WhatsappTenant;
const PHONE_ID = "106540352242922";
const DAY = 86_400_000;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  // Nothing is sent in this file; the channel's API base URL only has to pass the guard when saved.
  process.env.OUTBOUND_ALLOWED_HOSTS = "127.0.0.1:9";
  resetEnvForTests();
  shop = await whatsappTenant(handle.db, { company: "Retained", mode: "cloud", apiBaseUrl: "http://127.0.0.1:9", flow: null });
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await handle.dispose();
});

/** Meta delivering (or redelivering) one message; returns how many events the app stored as new. */
async function deliver(wamid: string): Promise<number> {
  const body = messagesWebhook(PHONE_ID, [textMessage(wamid, "15551234567", "Hello")]);
  const res = await POST(new Request(`http://127.0.0.1/api/webhooks/whatsapp/${shop.publicKey}`, { method: "POST", body, headers: signMeta(body, shop.secrets.app_secret!) }), { params: Promise.resolve({ type: "whatsapp", channelId: shop.publicKey }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { stored: number } }).data.stored;
}

const settle = (wamid: string, state: "done" | "failed" | "pending", ageDays: number, now: Date) => {
  const at = new Date(now.getTime() - ageDays * DAY);
  return handle.db.update(webhookInbox).set({ state, receivedAt: at, processedAt: state === "pending" ? null : at }).where(eq(webhookInbox.externalId, wamid));
};

describe("webhook inbox retention", () => {
  it(`deletes handled events older than ${INBOX_RETENTION_DAYS} days, keeps recent and unhandled ones, and a recent redelivery is still recognised`, async () => {
    const now = new Date();
    for (const wamid of ["wamid.old-done", "wamid.old-failed", "wamid.recent-done", "wamid.old-pending"]) expect(await deliver(wamid)).toBe(1);
    await settle("wamid.old-done", "done", INBOX_RETENTION_DAYS + 1, now);
    await settle("wamid.old-failed", "failed", INBOX_RETENTION_DAYS + 6, now);
    await settle("wamid.recent-done", "done", INBOX_RETENTION_DAYS - 1, now);
    // Waiting a month for a worker: never deleted, whatever its age.
    await settle("wamid.old-pending", "pending", 30, now);

    expect(await pruneWebhookInbox(handle.db, now)).toBe(2);
    const left = await handle.db.select({ externalId: webhookInbox.externalId, state: webhookInbox.state }).from(webhookInbox).where(eq(webhookInbox.tenantId, shop.tenantId));
    expect(left.sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual([
      { externalId: "wamid.old-pending", state: "pending" },
      { externalId: "wamid.recent-done", state: "done" },
    ]);
    expect(await deliver("wamid.recent-done")).toBe(0);
    expect(await pruneWebhookInbox(handle.db, now)).toBe(0);
  });
});
