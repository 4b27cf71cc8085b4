import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { openDb, type DbHandle } from "@/db/client";
import { outboxMessages, webhookInbox } from "@/db/schema";
import { resetEnvForTests } from "@/server/env";
import { startFakeGraphApi, type FakeGraphApi } from "../helpers/fake-graph-api";
import { freePort } from "../helpers/free-port";
import { signMeta } from "../helpers/webhook-signatures";
import { whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";
import { messagesWebhook, textMessage } from "../helpers/whatsapp-webhooks";
import { startPgCluster, type PgCluster } from "./support/pg-cluster";
import { chatWorker, type Worker } from "./support/worker-process";

const PHONE_ID = "106540352242922";
const SCRIPT = path.join(import.meta.dirname, "support/webhook-server.ts");

let cluster: PgCluster;
let handle: DbHandle;
let graph: FakeGraphApi;
let wa: WhatsappTenant;
let port: number;

/** The app process; `clockOffsetMs` lets a restarted one find the killed one's leases (60 s at most) expired. */
const app = (clockOffsetMs: number): Worker =>
  chatWorker(port, { DATABASE_URL: cluster.url, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "", OUTBOUND_ALLOWED_HOSTS: graph.host, CLOCK_OFFSET_MS: String(clockOffsetMs) }, SCRIPT);

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  cluster = await startPgCluster();
  handle = openDb({ databaseUrl: cluster.url, poolSize: 2 });
  await handle.migrate();
  graph = await startFakeGraphApi({ tokens: {} });
  process.env.OUTBOUND_ALLOWED_HOSTS = graph.host;
  resetEnvForTests();
  wa = await whatsappTenant(handle.db, { company: "Chaosco", mode: "cloud", apiBaseUrl: graph.baseUrl, phoneNumberId: PHONE_ID });
  graph.tokens[PHONE_ID] = wa.secrets.access_token!;
  port = await freePort();
}, 60_000);
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await graph?.close();
  await handle?.close();
  await cluster?.destroy();
});

describe("app killed after acknowledging webhooks", () => {
  it("sends each acknowledged message's reply exactly once after a restart, wherever the kill caught it", { timeout: 90_000 }, async () => {
    const first = app(0);
    await first.start();
    // Every send stays unanswered, so the kill finds the first reply in flight and nothing accepted.
    graph.hold();
    const post = (id: string, from: string, text: string) => {
      const body = messagesWebhook(PHONE_ID, [textMessage(id, from, text)], "Kim");
      return fetch(`http://127.0.0.1:${port}/api/webhooks/whatsapp/${wa.publicKey}`, { method: "POST", body, headers: signMeta(body, wa.secrets.app_secret!) });
    };
    expect((await post("wamid.chaos1", "15550001001", "Hello")).status).toBe(200);
    await until(() => graph.heldRequested(), "the first reply to reach the Graph API");
    // Acknowledged just before the kill: its turn may not have started.
    expect((await post("wamid.chaos2", "15550001002", "Hi there")).status).toBe(200);
    await first.kill9();
    await until(() => graph.heldOpen() === 0, "the killed app's connections to close");
    graph.release();
    expect(graph.sent).toEqual([]);

    const second = app(120_000);
    await second.start();
    try {
      await until(() => graph.sent.length >= 2, "both replies after the restart");
      // A moment for anything that would wrongly go out twice.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await second.kill9();
    }
    expect(graph.sent.map((s) => [s.body.to, (s.body.interactive as { body: { text: string } }).body.text]).sort()).toEqual([
      ["15550001001", "Hi Kim! Which size?"],
      ["15550001002", "Hi Kim! Which size?"],
    ]);
    const rows = await handle.db.select({ state: webhookInbox.state }).from(webhookInbox).where(eq(webhookInbox.tenantId, wa.tenantId));
    expect(rows.map((r) => r.state)).toEqual(["done", "done"]);
    const replies = await handle.db.select({ state: outboxMessages.state }).from(outboxMessages).where(eq(outboxMessages.tenantId, wa.tenantId));
    expect(replies.map((r) => r.state)).toEqual(["accepted", "accepted"]);
  });
});
