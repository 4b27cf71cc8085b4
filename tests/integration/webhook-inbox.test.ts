import { and, asc, eq, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { conversations, messages, webhookInbox } from "@/db/schema";
import { queryRows } from "@/db/query-rows";
import { installKv } from "@/server/cache";
import type { InboundEvent } from "@/server/channels/adapters/types";
import { findChannelForWebhook, type WebhookChannel } from "@/server/channels/channel-service";
import { MAX_INBOX_ATTEMPTS, processInboxBatch, runInboxRow } from "@/server/channels/inbox-processor";
import { claimInboxRows, claimInboxStatement, storeInboxEvents } from "@/server/channels/inbox-store";
import { resetEnvForTests } from "@/server/env";
import { END_USER_LIMIT, endUserHit } from "@/server/http/rate-limits";
import type { PipelineDeps } from "@/server/pipeline/process-message";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { conversationOf as conversationOfUser, inboundOf as inboundOfUser, whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";

/*
 * The webhook inbox between a platform's ack and the turn: grouped inserts, claims safe with several
 * workers and in each end user's order, the turn run on what the claim read, holds, retries and giving up.
 * Nothing here sends: the channel's API base URL is admitted but never called.
 */

let handle: Awaited<ReturnType<typeof createTestDb>>;
let wa: WhatsappTenant;
let deps: PipelineDeps;
const kv = createTestKv();
const NEVER_CALLED = "127.0.0.1:9";

beforeAll(async () => {
  handle = await createTestDb();
  installKv(kv);
  process.env.OUTBOUND_ALLOWED_HOSTS = NEVER_CALLED;
  resetEnvForTests();
  wa = await whatsappTenant(handle.db, { company: "Inboxco", mode: "cloud", apiBaseUrl: `http://${NEVER_CALLED}/v19.0` });
  deps = { db: handle.db };
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await kv.close();
  await handle.dispose();
});

const conversationOf = (userId: string) => conversationOfUser(handle.db, wa.tenantId, userId);
const inboundOf = (userId: string) => inboundOfUser(handle.db, wa.tenantId, userId);

describe("webhook inbox processing", () => {
  let channel: WebhookChannel;
  const pipeline = () => deps;
  const message = (externalId: string, from: string, text: string): InboundEvent => ({
    kind: "message",
    externalId,
    userId: `wa:${from}`,
    content: { type: "text", text },
    channelMetadata: { phone_number: from },
    address: { channel_id: channel.id, recipient: from },
    sentAt: new Date().toISOString(),
  });
  const rowOf = async (externalId: string) => (await handle.db.select().from(webhookInbox).where(eq(webhookInbox.externalId, externalId)))[0]!;
  const inboundTexts = async (userId: string) => (await inboundOf(userId)).map((m) => m.text);
  beforeAll(async () => {
    channel = (await findChannelForWebhook(handle.db, "whatsapp", wa.publicKey))!;
  });

  it("stores a burst of webhooks with one insert, each counting only its own new events, in call order; a row the database refuses fails only its own webhook", async () => {
    let statements = 0;
    const counting = new Proxy(handle.db, { get: (db, key) => (key === "execute" ? (q: Parameters<Db["execute"]>[0]) => (statements++, db.execute(q)) : Reflect.get(db, key)) }) as Db;
    const burst = Array.from({ length: 30 }, (_, i) => storeInboxEvents(counting, channel, [message(`burst-${i}`, "555", `burst ${i}`)]));
    // Meta redelivering the first webhook while the burst is being stored: it is new for one of them only.
    const redelivered = storeInboxEvents(counting, channel, [message("burst-0", "555", "burst 0")]);
    expect(await Promise.all([...burst, redelivered])).toEqual([...Array(30).fill(1), 0]);
    expect(statements).toBe(1);
    const stored = await handle.db.select().from(webhookInbox).where(like(webhookInbox.externalId, "burst-%")).orderBy(asc(webhookInbox.receivedAt));
    expect(stored.map((r) => r.externalId)).toEqual(Array.from({ length: 30 }, (_, i) => `burst-${i}`));

    // Postgres refuses \u0000 in jsonb: the group is stored again one webhook at a time around it.
    statements = 0;
    const [good, bad, alsoGood] = await Promise.allSettled([
      storeInboxEvents(counting, channel, [message("nul-1", "556", "fine")]),
      storeInboxEvents(counting, channel, [message("nul-2", "556", "bad \u0000 byte")]),
      storeInboxEvents(counting, channel, [message("nul-3", "556", "fine too")]),
    ]);
    expect([good, alsoGood]).toEqual([{ status: "fulfilled", value: 1 }, { status: "fulfilled", value: 1 }]);
    expect(bad.status).toBe("rejected");
    expect(statements).toBe(4);
    expect((await handle.db.select().from(webhookInbox).where(like(webhookInbox.externalId, "nul-%"))).map((r) => r.externalId).sort()).toEqual(["nul-1", "nul-3"]);
    await handle.db.update(webhookInbox).set({ state: "done" }).where(like(webhookInbox.externalId, "burst-%"));
    await handle.db.update(webhookInbox).set({ state: "done" }).where(like(webhookInbox.externalId, "nul-%"));
  });

  it("runs one end user's messages one at a time in arrival order, and never hands a row to two workers", async () => {
    await storeInboxEvents(handle.db, channel, [message("o1", "111", "first"), message("o2", "111", "second"), message("p1", "222", "other user")]);
    await storeInboxEvents(handle.db, channel, [message("o3", "111", "third")]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = new Date();
    // Two workers claiming at once: together they hold each user's oldest message, once.
    const [a, b] = await Promise.all([claimInboxRows(handle.db, now, 10), claimInboxRows(handle.db, now, 10)]);
    const ours = [...a!, ...b!].filter((r) => /^[op]\d$/.test((r.payload as { externalId: string }).externalId));
    expect(ours.map((r) => (r.payload as { externalId: string }).externalId).sort()).toEqual(["o1", "p1"]);
    // Each first claim tells how long its event waited in the queue (what flood detection reads).
    for (const row of ours) expect(row.waitedMs).toBeGreaterThanOrEqual(150);
    for (const row of ours) expect(row.waitedMs).toBeLessThan(10_000);
    // Their workers died: once the leases are over, the rows are run again, and the rest follow in order.
    const later = new Date(now.getTime() + 61_000);
    while ((await processInboxBatch(handle.db, pipeline, later)) > 0);
    expect(await inboundTexts("wa:111")).toEqual(["first", "second", "third"]);
    expect(await inboundTexts("wa:222")).toEqual(["other user"]);
    expect((await rowOf("o1")).attempts).toBe(2);
  });

  it("runs a claimed message on what its claim read, in one statement whichever process ran the end user's last turn; one a person took since goes to them", async () => {
    // Another app process: the same code with its own memory, on the same database.
    vi.resetModules();
    const other = await import("@/server/channels/inbox-processor");
    let transactions = 0;
    const watched = new Proxy(handle.db, { get: (db, key, receiver) => ((key === "transaction" || key === "$client") && transactions++, Reflect.get(db, key, receiver)) }) as Db;
    const run = async (process: typeof runInboxRow, externalId: string, from: string, text: string, beforeRun?: () => Promise<unknown>) => {
      await storeInboxEvents(handle.db, channel, [message(externalId, from, text)]);
      const now = new Date();
      const row = (await claimInboxRows(handle.db, now, 100)).find((r) => (r.payload as { externalId: string }).externalId === externalId)!;
      await beforeRun?.();
      transactions = 0;
      await process(watched, { db: watched }, row, now);
      expect((await rowOf(externalId)).state).toBe("done");
      return transactions;
    };
    // Each process has loaded the tenant's flow once.
    await run(runInboxRow, "seen-warm-1", "771", "hi");
    await run(other.runInboxRow, "seen-warm-2", "772", "hi");

    // A new end user's first message, the next one in the other process, the third back here: no transaction.
    expect(await run(other.runInboxRow, "seen-1", "773", "hello")).toBe(0);
    expect(await run(runInboxRow, "seen-2", "773", "Medium")).toBe(0);
    expect(await run(runInboxRow, "seen-3", "773", "Blue")).toBe(0);
    const answered = async () => (await handle.db.select().from(messages).where(eq(messages.conversationId, (await conversationOf("wa:773"))!.id)).orderBy(asc(messages.sequence))).map((m) => [m.sequence, m.direction, m.text]);
    expect(await answered()).toEqual([
      [1, "inbound", "hello"], [2, "outbound", expect.stringMatching(/Which size\?$/)],
      [3, "inbound", "Medium"], [4, "outbound", "And which colour?"],
      [5, "inbound", "Blue"], [6, "outbound", "You said: Blue"],
    ]);

    // A person takes the conversation after the claim read it: the turn's presumption fails, and the long way lets them hear it.
    const takeOver = () => handle.db.update(conversations).set({ status: "with_agent", updatedAt: new Date(Date.now() + 1000) }).where(and(eq(conversations.tenantId, wa.tenantId), eq(conversations.endUserId, "wa:773")));
    expect(await run(runInboxRow, "seen-4", "773", "Are you there?", takeOver)).toBeGreaterThan(0);
    expect((await answered()).slice(6)).toEqual([[7, "inbound", "Are you there?"]]);
    expect((await conversationOf("wa:773"))!.status).toBe("with_agent");
  });

  it("reads a backlog through its indexes (due order, per-user order), not by scanning or sorting every waiting row", async () => {
    // A backlog of many users' messages: a claim probes each candidate's own earlier rows.
    const backlog = Array.from({ length: 200 }, (_, i) => message(`backlog-${i}`, String(3000 + (i % 50)), `message ${i}`));
    await storeInboxEvents(handle.db, channel, backlog);
    await handle.db.execute(sql`analyze webhook_inbox`);
    const plan = await handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<{ "QUERY PLAN": string }>(tx, sql`explain ${claimInboxStatement(new Date(), 20)}`);
    });
    const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index (Only )?Scan (using|on) webhook_inbox_user_order_idx/);
    // The due rows are read in the due index's order up to the limit, never all of them sorted. (The Update's own
    // sub-plans, at its first level, are what it returns for each claimed row: the end user's conversation.)
    expect(text).toMatch(/Index Scan using webhook_inbox_due_idx on webhook_inbox d/);
    expect(text.split(/\n  SubPlan /)[0]).not.toMatch(/Sort/);
    // Each user's oldest message is claimable, and nothing of theirs after it.
    const claimed = await claimInboxRows(handle.db, new Date(), 100);
    const ids = claimed.map((r) => (r.payload as { externalId: string }).externalId).filter((id) => id.startsWith("backlog-"));
    expect(ids.sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)))).toEqual(Array.from({ length: 50 }, (_, i) => `backlog-${i}`));
    await handle.db.update(webhookInbox).set({ state: "done" }).where(like(webhookInbox.externalId, "backlog-%"));
  });

  it("holds a message back while its end user is over the limit, without using up its attempts", async () => {
    // Someone who talked to the bot before: a first message ever is within any limit.
    await storeInboxEvents(handle.db, channel, [message("r0", "333", "hello")]);
    await processInboxBatch(handle.db, pipeline, new Date());
    for (let i = 0; i < END_USER_LIMIT; i++) await kv.slidingWindow(endUserHit(wa.tenantId, "wa:333", 0).key, END_USER_LIMIT, 60_000);
    await storeInboxEvents(handle.db, channel, [message("r1", "333", "too fast")]);
    const now = new Date();
    await processInboxBatch(handle.db, pipeline, now);
    const held = await rowOf("r1");
    expect(held).toMatchObject({ state: "pending", attempts: 0, lastError: "This end user is sending messages too fast." });
    expect(held.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    expect(await inboundTexts("wa:333")).toEqual(["hello"]);
    // Claimed again when due, its wait is its hold's, not the queue's: it tells flood detection nothing.
    const again = (await claimInboxRows(handle.db, new Date(held.nextAttemptAt.getTime() + 1), 100)).find((r) => r.id === held.id);
    expect(again).toMatchObject({ attempts: 1, waitedMs: null });
    await handle.db.update(webhookInbox).set({ state: "done" }).where(eq(webhookInbox.id, held.id));
  });

  it("retries a turn that fails with growing delays and gives up after the last attempt, keeping the reason", async () => {
    const unreachable = new Proxy({}, { get: () => { throw new Error("connect ECONNREFUSED 127.0.0.1:5432"); } }) as Db;
    await storeInboxEvents(handle.db, channel, [message("f1", "444", "will fail")]);
    let at = Date.now();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= MAX_INBOX_ATTEMPTS; attempt++) {
      await processInboxBatch(handle.db, () => ({ db: unreachable }), new Date(at));
      const row = await rowOf("f1");
      expect(row.attempts).toBe(attempt);
      delays.push(row.nextAttemptAt.getTime() - at);
      at = row.nextAttemptAt.getTime();
    }
    const row = await rowOf("f1");
    expect(row).toMatchObject({ state: "failed", attempts: MAX_INBOX_ATTEMPTS, lastError: "connect ECONNREFUSED 127.0.0.1:5432" });
    expect(delays.slice(0, 4)).toEqual([2000, 4000, 8000, 16000]);
    // Given up for good: an hour later it is not run again.
    await processInboxBatch(handle.db, pipeline, new Date(at + 3600_000));
    expect(await rowOf("f1")).toMatchObject({ state: "failed", attempts: MAX_INBOX_ATTEMPTS });
    expect(await inboundTexts("wa:444")).toEqual([]);
  });

  it("keeps a status callback that overtook its send, and applies nothing for an unknown message", async () => {
    await storeInboxEvents(handle.db, channel, [{ kind: "status", externalId: "status:wamid.ghost:read", update: { channelId: channel.id, providerMessageId: "wamid.ghost", status: "read", at: new Date().toISOString() } }]);
    await processInboxBatch(handle.db, pipeline, new Date());
    expect(await rowOf("status:wamid.ghost:read")).toMatchObject({ state: "pending", lastError: "No message sent on this channel has the id wamid.ghost." });
  });
});
