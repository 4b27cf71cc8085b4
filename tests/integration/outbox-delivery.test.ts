import { randomUUID } from "node:crypto";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/query-rows";
import { auditLog, channels, conversations, messages, outboxMessages } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { DeliveryError, type ChannelAdapter, type SendContext } from "@/server/channels/adapters/types";
import { claimDueRows, claimStatement } from "@/server/outbox/claim";
import { renderSql } from "@/db/compile-sql";
import { listDeadLetters, retryDeadLetters } from "@/server/outbox/dead-letters";
import { applyDeliveryStatus, applyDeliveryStatusOutcome, applyWatermarkStatus } from "@/server/outbox/delivery-status";
import { deliverOutboxBatch, type DeliverOptions } from "@/server/outbox/deliver";
import { acceptedGroupStatement, recordOutcome } from "@/server/outbox/record-outcome";
import { getTranscript } from "@/server/inbox/transcript";
import { getConversation } from "@/server/pipeline/conversation-queries";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const db = () => handle.db;

// Time is driven, never waited for: every claim and every backoff is measured from this clock.
let clock = new Date("2026-03-02T09:00:00.000Z");
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));
const MINUTE = 60_000;

type Workspace = { tenantId: string; channelId: string; userId: string };
let acme: Workspace;
let globex: Workspace;

async function workspace(name: string): Promise<Workspace> {
  const { tenant, user } = await createTenantWithOwner(db(), { companyName: name, email: `owner@${name.toLowerCase()}.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  const [channel] = await db().insert(channels).values({ tenantId: tenant.id, type: "whatsapp", enabled: true, publicKey: `ch_${randomUUID()}` }).returning();
  return { tenantId: tenant.id, channelId: channel!.id, userId: user.id };
}

/** A WhatsApp conversation whose visitor wrote once and whose replies `texts` wait in the outbox, as a turn leaves them. */
async function conversationWithReplies(ws: Workspace, recipient: string, texts: string[]): Promise<string> {
  const address = { channel_id: ws.channelId, recipient };
  const [conv] = await db()
    .insert(conversations)
    .values({ tenantId: ws.tenantId, endUserId: `wa:${recipient}`, channel: "whatsapp", deliveryAddress: address, lastSequence: texts.length + 1, messageCount: texts.length + 1 })
    .returning();
  const content = (text: string) => ({ type: "text", text });
  const rows = await db()
    .insert(messages)
    .values([
      { tenantId: ws.tenantId, conversationId: conv!.id, sequence: 1, direction: "inbound" as const, channel: "whatsapp" as const, contentType: "text", content: content("Hello?"), text: "Hello?", createdAt: clock },
      ...texts.map((text, i) => ({ tenantId: ws.tenantId, conversationId: conv!.id, sequence: i + 2, direction: "outbound" as const, channel: "whatsapp" as const, contentType: "text", content: content(text), text, metadata: { author: "bot", delivery_status: "queued" } })),
    ])
    .returning({ id: messages.id, sequence: messages.sequence });
  await db()
    .insert(outboxMessages)
    .values(rows.slice(1).map((m, i) => ({ tenantId: ws.tenantId, channelId: ws.channelId, conversationId: conv!.id, messageId: m.id, sequence: m.sequence, address, payload: content(texts[i]!), nextAttemptAt: clock })));
  return conv!.id;
}

/** A platform whose answers the test scripts; every attempt is recorded, with the message's text. */
function scriptedPlatform(answer: (ctx: SendContext, attempt: number) => Promise<string> | string) {
  const attempts: { recipient: string; text: string }[] = [];
  const accepted: { recipient: string; text: string; id: string }[] = [];
  const adapter: ChannelAdapter = {
    authenticate() {},
    parse: () => ({ events: [] }),
    async send(ctx) {
      attempts.push({ recipient: ctx.address.recipient, text: ctx.message.text });
      const id = await answer(ctx, attempts.length);
      accepted.push({ recipient: ctx.address.recipient, text: ctx.message.text, id });
      return { providerMessageId: id };
    },
  };
  const deliver = (opts: DeliverOptions = {}) => deliverOutboxBatch(db(), { now: clock, adapterFor: async () => adapter, random: () => 1, ...opts });
  return { attempts, accepted, deliver };
}

const unavailable = () => {
  throw new DeliveryError("retryable", "http_503", "The platform answered 503: Service temporarily unavailable");
};
let ids = 0;
const acceptedAs = () => `wamid.${++ids}`;

const rowsOf = (conversationId: string) =>
  db().select().from(outboxMessages).where(eq(outboxMessages.conversationId, conversationId)).orderBy(asc(outboxMessages.sequence));

beforeAll(async () => {
  handle = await createTestDb();
  acme = await workspace("Acme");
  globex = await workspace("Globex");
});
afterAll(async () => {
  await handle.dispose();
});
// Claims are global: a test must not leave rows for the next one's workers.
afterEach(async () => {
  const left = await db().select({ id: outboxMessages.id }).from(outboxMessages).where(inArray(outboxMessages.state, ["queued", "sending"]));
  expect(left).toEqual([]);
});

describe("delivering the outbox", () => {
  it("holds a conversation's replies while the platform answers 503, then sends each once, in order", async () => {
    const id = await conversationWithReplies(acme, "15550000001", ["One: hello.", "Two: your order shipped.", "Three: anything else?"]);
    let down = true;
    const platform = scriptedPlatform(() => (down ? unavailable() : acceptedAs()));

    for (let i = 0; i < 3; i++) {
      expect(await platform.deliver()).toBe(1);
      advance(10 * MINUTE);
    }
    // Only the first reply was tried: the second must not overtake it.
    expect(platform.attempts.map((a) => a.text)).toEqual(["One: hello.", "One: hello.", "One: hello."]);
    expect((await rowsOf(id)).map((r) => [r.state, r.attempts, r.deliveryStatus, r.lastError])).toEqual([
      ["queued", 3, "queued", "The platform answered 503: Service temporarily unavailable"],
      ["queued", 0, "queued", null],
      ["queued", 0, "queued", null],
    ]);

    down = false;
    while (await platform.deliver()) advance(MINUTE);
    expect(platform.accepted.map((a) => a.text)).toEqual(["One: hello.", "Two: your order shipped.", "Three: anything else?"]);
    const rows = await rowsOf(id);
    expect(rows.map((r) => [r.state, r.deliveryStatus, r.providerMessageId, r.lastError])).toEqual(platform.accepted.map((a) => ["accepted", "sent", a.id, null]));
  });

  it("does not retry a throttled reply before the platform's Retry-After", async () => {
    const id = await conversationWithReplies(acme, "15550000002", ["Your ticket is open."]);
    const platform = scriptedPlatform((_, attempt) => {
      if (attempt === 1) throw new DeliveryError("retryable", "meta_130429", "The platform is throttling sends", 30_000);
      return acceptedAs();
    });
    const throttledAt = clock;
    // Full jitter pinned low: only the platform's 30 s can keep it waiting.
    expect(await platform.deliver({ random: () => 0 })).toBe(1);
    const [row] = await rowsOf(id);
    expect(row!.nextAttemptAt.getTime() - throttledAt.getTime()).toBe(30_000);
    advance(29_999);
    expect(await platform.deliver()).toBe(0);
    advance(1);
    expect(await platform.deliver()).toBe(1);
    expect(platform.attempts).toHaveLength(2);
    expect((await rowsOf(id))[0]!.state).toBe("accepted");
  });

  it("fails a reply the platform refuses for good, with its reason, and sends the conversation's next reply", async () => {
    const id = await conversationWithReplies(acme, "15550000003", ["This one is refused.", "This one goes out."]);
    const platform = scriptedPlatform((ctx) => {
      if (ctx.message.text === "This one is refused.") throw new DeliveryError("permanent", "http_401", "The access token was refused");
      return acceptedAs();
    });
    while (await platform.deliver()) advance(MINUTE);
    advance(60 * MINUTE);
    expect(await platform.deliver()).toBe(0);
    expect(platform.attempts.map((a) => a.text)).toEqual(["This one is refused.", "This one goes out."]);
    expect((await rowsOf(id)).map((r) => [r.state, r.attempts, r.deliveryStatus, r.lastErrorCode, r.lastError])).toEqual([
      ["failed", 1, "failed", "http_401", "The access token was refused"],
      ["accepted", 1, "sent", null, null],
    ]);
  });

  it("dead-letters a reply after 8 retryable failures; retrying requeues only the workspace's own", async () => {
    const mine = await conversationWithReplies(acme, "15550000004", ["We will call you back tomorrow at nine."]);
    const theirs = await conversationWithReplies(globex, "15550000005", ["Globex reply."]);
    let down = true;
    const platform = scriptedPlatform(() => (down ? unavailable() : acceptedAs()));
    while (await platform.deliver()) advance(10 * MINUTE);
    expect(platform.attempts).toHaveLength(16);
    expect((await rowsOf(mine))[0]).toMatchObject({ state: "dead", attempts: 8, deliveryStatus: "failed", lastError: "The platform answered 503: Service temporarily unavailable" });

    // Newest first, with the reply the platform refused for good in the earlier test.
    const letters = await listDeadLetters(db(), acme.tenantId, { limit: 10 });
    expect(letters.map(({ conversationId, channelType, state, reason, attempts, preview }) => ({ conversationId, channelType, state, reason, attempts, preview }))).toEqual([
      { conversationId: mine, channelType: "whatsapp", state: "dead", reason: "The platform answered 503: Service temporarily unavailable", attempts: 8, preview: "We will call you back tomorrow at nine." },
      { conversationId: expect.any(String), channelType: "whatsapp", state: "failed", reason: "The access token was refused", attempts: 1, preview: "This one is refused." },
    ]);
    const [globexLetter] = await listDeadLetters(db(), globex.tenantId, { limit: 10 });
    // Another workspace's id matches nothing.
    expect(await retryDeadLetters(db(), acme.tenantId, { ids: [globexLetter!.id], now: clock })).toBe(0);

    down = false;
    expect(await retryDeadLetters(db(), acme.tenantId, { ids: [letters[0]!.id], actorUserId: acme.userId, now: clock })).toBe(1);
    // The operator's retry is on the workspace's audit log; the refused attempt on another workspace's id left none.
    const audited = await db().select({ actor: auditLog.actorUserId, action: auditLog.action, targetId: auditLog.targetId, details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "outbox.retried"));
    expect(audited).toEqual([{ actor: acme.userId, action: "outbox.retried", targetId: letters[0]!.id, details: { count: 1, scope: "selected", via: "dashboard", ids: [letters[0]!.id] } }]);
    expect((await rowsOf(mine))[0]).toMatchObject({ state: "queued", attempts: 0, deliveryStatus: "queued", lastError: null });
    while (await platform.deliver()) advance(MINUTE);
    expect(platform.accepted.map((a) => a.text)).toEqual(["We will call you back tomorrow at nine."]);
    expect((await rowsOf(theirs))[0]!.state).toBe("dead");
    // Retrying all of a workspace's: Globex has just the one.
    expect(await retryDeadLetters(db(), globex.tenantId, { now: clock })).toBe(1);
    while (await platform.deliver()) advance(MINUTE);
    expect(platform.accepted.map((a) => a.text)).toEqual(["We will call you back tomorrow at nine.", "Globex reply."]);
    expect(await listDeadLetters(db(), globex.tenantId, { limit: 10 })).toEqual([]);
  });

  it("two workers over many conversations send every reply once, one at a time per conversation, in order", async () => {
    const texts = ["first", "second", "third"];
    const convs = await Promise.all(Array.from({ length: 12 }, (_, i) => conversationWithReplies(i % 2 ? acme : globex, `1555100${String(i).padStart(4, "0")}`, texts)));
    const inFlight = new Set<string>();
    let overlapped = 0;
    const platform = scriptedPlatform(async (ctx) => {
      if (inFlight.has(ctx.address.recipient)) overlapped++;
      inFlight.add(ctx.address.recipient);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
      inFlight.delete(ctx.address.recipient);
      return acceptedAs();
    });
    const worker = async () => {
      // Each pass of both workers sees the same clock; a worker stops when a pass finds nothing.
      while (await platform.deliver({ limit: 4 }));
    };
    await Promise.all([worker(), worker()]);
    // Both may have stopped while the other's last sends unlocked further rows.
    while (await platform.deliver()) continue;

    expect(overlapped).toBe(0);
    expect(platform.attempts).toHaveLength(convs.length * 3);
    const byRecipient = new Map<string, string[]>();
    for (const a of platform.accepted) byRecipient.set(a.recipient, [...(byRecipient.get(a.recipient) ?? []), a.text]);
    expect(byRecipient.size).toBe(convs.length);
    for (const sent of byRecipient.values()) expect(sent).toEqual(texts);
  });

  it("sends a reply a dead worker left claimed once its lease has run out, and ignores that worker's late outcome", async () => {
    const id = await conversationWithReplies(acme, "15550000006", ["Still there?"]);
    const [dead] = await claimDueRows(db(), clock, 10);
    expect(dead).toMatchObject({ conversationId: id, attempts: 1 });
    const platform = scriptedPlatform(acceptedAs);

    advance(29_000);
    expect(await platform.deliver()).toBe(0);
    advance(1_000);
    expect(await platform.deliver()).toBe(1);
    await recordOutcome(db(), dead!, { kind: "permanent", code: "http_400", reason: "late" }, clock);
    expect(platform.accepted).toHaveLength(1);
    expect((await rowsOf(id))[0]).toMatchObject({ state: "accepted", attempts: 2, providerMessageId: platform.accepted[0]!.id, lastError: null });
  });

  it("never hands a worker a reply it is still sending, however long the send has taken, and its text is one statement however many", async () => {
    const ids = await Promise.all(["15550000011", "15550000012", "15550000013"].map((to, i) => conversationWithReplies(acme, to, [`Slow ${i + 1}.`])));
    const claimed = await claimDueRows(db(), clock, 10);
    expect(claimed).toHaveLength(3);
    advance(31_000);
    // The leases ran out: another worker may take all three over, but the one still sending two of them takes only the third.
    const running = claimed.filter((r) => r.conversationId !== ids[2]).map((r) => r.id);
    const third = await claimDueRows(db(), clock, 10, running);
    expect(third.map((r) => r.conversationId)).toEqual([ids[2]]);
    const takenOver = await claimDueRows(db(), clock, 10);
    expect(takenOver.map((r) => r.conversationId).sort()).toEqual([ids[0], ids[1]].sort());
    const text = (n: number) => renderSql(claimStatement(clock, 10, claimed.slice(0, n).map((r) => r.id))).sql;
    expect(new Set([0, 1, 3].map(text)).size).toBe(1);
    await Promise.all([...third, ...takenOver].map((row, i) => recordOutcome(db(), row, { kind: "accepted", providerMessageId: `wamid.slow.${i}` }, clock)));
  });

  it("sends with the channel as it is now: turned off after a reply went out, it holds the next one; turned on again, it sends", async () => {
    const platform = scriptedPlatform(acceptedAs);
    const first = await conversationWithReplies(acme, "15550000014", ["Before."]);
    expect(await platform.deliver()).toBe(1);
    expect((await rowsOf(first))[0]!.state).toBe("accepted");
    // As the dashboard's save does (upsertChannel): the change is stamped.
    const turn = (enabled: boolean) => db().update(channels).set({ enabled, updatedAt: new Date() }).where(eq(channels.id, acme.channelId));
    await turn(false);
    const held = await conversationWithReplies(acme, "15550000015", ["While off."]);
    expect(await platform.deliver()).toBe(1);
    expect((await rowsOf(held))[0]).toMatchObject({ state: "failed", lastErrorCode: "channel_disabled", lastError: "The whatsapp channel is turned off." });
    await turn(true);
    const after = await conversationWithReplies(acme, "15550000016", ["Back on."]);
    expect(await platform.deliver()).toBe(1);
    expect((await rowsOf(after))[0]!.state).toBe("accepted");
    expect(platform.accepted.map((a) => a.text)).toEqual(["Before.", "Back on."]);
  });

  it("records sends accepted at the same moment together, each only while the row is still that claim's", async () => {
    const ids = await Promise.all(["15550000007", "15550000008", "15550000009"].map((to, i) => conversationWithReplies(acme, to, [`Reply ${i + 1}.`])));
    const claimed = await claimDueRows(db(), clock, 10);
    expect(claimed.map((r) => r.conversationId).sort()).toEqual([...ids].sort());
    const [first, second, lost] = ids.map((id) => claimed.find((r) => r.conversationId === id)!);
    // Another worker took the third row over (its lease ran out while this one was still sending).
    await db().update(outboxMessages).set({ attempts: 2 }).where(eq(outboxMessages.id, lost!.id));

    await Promise.all([first, second, lost].map((row, i) => recordOutcome(db(), row!, { kind: "accepted", providerMessageId: `wamid.together.${i}` }, clock)));
    expect((await rowsOf(ids[0]!))[0]).toMatchObject({ state: "accepted", providerMessageId: "wamid.together.0", deliveryStatus: "sent", leaseUntil: null, acceptedAt: clock });
    expect((await rowsOf(ids[1]!))[0]).toMatchObject({ state: "accepted", providerMessageId: "wamid.together.1", deliveryStatus: "sent" });
    expect((await rowsOf(ids[2]!))[0]).toMatchObject({ state: "sending", attempts: 2, providerMessageId: null });

    // The claim that owns it now records its own outcome.
    await recordOutcome(db(), { ...lost!, attempts: 2 }, { kind: "accepted", providerMessageId: "wamid.taken-over" }, clock);
    expect((await rowsOf(ids[2]!))[0]).toMatchObject({ state: "accepted", providerMessageId: "wamid.taken-over" });
  });

  it("gives up on a send that outlives its deadline, aborting it, and retries it later", async () => {
    const id = await conversationWithReplies(acme, "15550000008", ["Are you there?"]);
    let aborted = false;
    // A platform that never answers, and an adapter that would wait for it forever.
    const platform = scriptedPlatform((ctx) => {
      ctx.signal?.addEventListener("abort", () => (aborted = true));
      return ctx.message.text === "Are you there?" && !aborted ? new Promise<string>(() => {}) : acceptedAs();
    });
    expect(await platform.deliver({ deadlineMs: 50 })).toBe(1);
    expect(aborted).toBe(true);
    expect((await rowsOf(id))[0]).toMatchObject({ state: "queued", lastErrorCode: "timeout", lastError: "The platform did not answer within 0.05 s." });
    advance(10 * MINUTE);
    expect(await platform.deliver()).toBe(1);
    expect((await rowsOf(id))[0]!.state).toBe("accepted");
  });

  it("claims through the due index", async () => {
    // With sequential scans priced out, the plan shows whether the claim can use the partial index at all.
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<{ "QUERY PLAN": string }>(tx, sql`explain ${claimStatement(clock, 10)}`);
    });
    // Plain or bitmap index scan, as the planner's statistics decide; never a scan of the whole table.
    const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Index Scan (using|on) outbox_messages_due_idx/);
    expect(text).not.toMatch(/Seq Scan on outbox_messages/);
  });

  it("records a group of accepted sends through the primary key, however many replies wait in the queue", async () => {
    const backlog = await conversationWithReplies(acme, "15550000010", Array.from({ length: 5000 }, (_, i) => `Waiting ${i}.`));
    try {
      await db().execute(sql`analyze outbox_messages`);
      const [row] = await rowsOf(backlog);
      const group = [{ id: row!.id, attempts: 1, providerMessageId: "wamid.planned", at: clock.toISOString() }];
      const plan = await db().transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        return queryRows<{ "QUERY PLAN": string }>(tx, sql`explain ${acceptedGroupStatement(group)}`);
      });
      // A group of a few sends probes a few ids; walking the due index reads every waiting reply for each group.
      const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Index Scan on outbox_messages_pkey|Index Scan using outbox_messages_pkey/);
      expect(text).not.toMatch(/outbox_messages_due_idx/);
    } finally {
      await db().delete(outboxMessages).where(eq(outboxMessages.conversationId, backlog));
    }
  });

  it("fails a stored row it cannot read, with a reason, instead of retrying it", async () => {
    const id = await conversationWithReplies(acme, "15550000007", ["fine"]);
    await db().update(outboxMessages).set({ payload: { type: "nonsense" } }).where(eq(outboxMessages.conversationId, id));
    const platform = scriptedPlatform(acceptedAs);
    expect(await platform.deliver()).toBe(1);
    expect(platform.attempts).toEqual([]);
    expect((await rowsOf(id))[0]).toMatchObject({ state: "failed", lastError: "The stored reply could not be read, so it was not sent." });
  });
});

describe("delivery status", () => {
  /** One reply sent to `recipient` at the clock's time; its stored message and outbox row. */
  async function sentReply(recipient: string, text: string) {
    const id = await conversationWithReplies(acme, recipient, [text]);
    const platform = scriptedPlatform(acceptedAs);
    expect(await platform.deliver()).toBe(1);
    const [row] = await rowsOf(id);
    return { conversationId: id, row: row!, wamid: row!.providerMessageId! };
  }
  const at = (offsetMs: number) => new Date(clock.getTime() + offsetMs).toISOString();
  const statusOf = async (conversationId: string) => {
    const [row] = await rowsOf(conversationId);
    return { status: row!.deliveryStatus, at: row!.deliveryStatusAt?.toISOString() ?? null, error: row!.lastError };
  };

  it("moves sent → read with the platform's timestamps and never back: a late delivered and a failure after read are ignored", async () => {
    const { conversationId, wamid } = await sentReply("15550000101", "Your parcel is on its way.");
    expect(await statusOf(conversationId)).toEqual({ status: "sent", at: null, error: null });
    const channelId = acme.channelId;

    // The platform's own "sent" time replaces the worker's timeless one; a repeat of it changes nothing.
    expect(await applyDeliveryStatusOutcome(db(), { channelId, providerMessageId: wamid, status: "sent", at: at(-2_000) })).toBe("applied");
    expect(await applyDeliveryStatusOutcome(db(), { channelId, providerMessageId: wamid, status: "sent", at: at(-1_000) })).toBe("stale");
    expect(await statusOf(conversationId)).toEqual({ status: "sent", at: at(-2_000), error: null });

    expect(await applyDeliveryStatus(db(), { channelId, providerMessageId: wamid, status: "read", at: at(5_000) })).toBe(true);
    expect(await applyDeliveryStatus(db(), { channelId, providerMessageId: wamid, status: "delivered", at: at(3_000) })).toBe(false);
    expect(await applyDeliveryStatus(db(), { channelId, providerMessageId: wamid, status: "failed", at: at(6_000), reason: "Message undeliverable" })).toBe(false);
    expect(await statusOf(conversationId)).toEqual({ status: "read", at: at(5_000), error: null });

    // Another channel's callback naming the same id touches nothing; an id nobody sent is "unknown" (kept for a retry).
    expect(await applyDeliveryStatusOutcome(db(), { channelId: globex.channelId, providerMessageId: wamid, status: "failed", at: at(7_000) })).toBe("unknown");
    expect(await applyDeliveryStatusOutcome(db(), { channelId, providerMessageId: "wamid.never-sent", status: "delivered", at: at(7_000) })).toBe("unknown");
  });

  it("shows a failure the platform reports after sending, with its reason, in the conversation and the dashboard transcript", async () => {
    const { conversationId, row, wamid } = await sentReply("15550000102", "See you on Monday.");
    await applyDeliveryStatus(db(), { channelId: acme.channelId, providerMessageId: wamid, status: "delivered", at: at(1_000) });
    expect(await applyDeliveryStatus(db(), { channelId: acme.channelId, providerMessageId: wamid, status: "failed", at: at(2_000), reason: "Message undeliverable (131026)" })).toBe(true);
    expect(await applyDeliveryStatus(db(), { channelId: acme.channelId, providerMessageId: wamid, status: "read", at: at(3_000) })).toBe(false);

    const api = await getConversation(db(), acme.tenantId, conversationId);
    expect(api.messages.map((m) => [m.direction, m.text, m.delivery_status])).toEqual([
      ["inbound", "Hello?", null],
      ["outbound", "See you on Monday.", "failed"],
    ]);
    const transcript = await getTranscript(db(), acme.tenantId, conversationId);
    const reply = transcript.entries.find((e) => e.kind === "message" && e.id === row.messageId);
    expect(reply).toMatchObject({ delivery_status: "failed", delivery_error: "Message undeliverable (131026)" });
  });

  it("keeps a status that overtook the send's own accepted write", async () => {
    const id = await conversationWithReplies(acme, "15550000103", ["Quick platform."]);
    const [claimed] = await claimDueRows(db(), clock, 10);
    await db().update(outboxMessages).set({ deliveryStatus: "delivered", deliveryStatusAt: clock }).where(eq(outboxMessages.id, claimed!.id));
    await recordOutcome(db(), claimed!, { kind: "accepted", providerMessageId: "wamid.quick" }, clock);
    expect((await rowsOf(id))[0]).toMatchObject({ state: "accepted", providerMessageId: "wamid.quick", deliveryStatus: "delivered" });
  });

  it("applies a Messenger watermark to every accepted message to that recipient sent at or before it", async () => {
    const first = await sentReply("PSID-1", "First.");
    advance(1_000);
    const second = await sentReply("PSID-1", "Second.");
    const mark = clock.toISOString();
    advance(1_000);
    const after = await sentReply("PSID-1", "After the mark.");
    const other = await sentReply("PSID-2", "Someone else.");
    expect(await applyWatermarkStatus(db(), { channelId: acme.channelId, recipient: "PSID-1", status: "read", before: mark })).toBe(2);
    expect(await applyWatermarkStatus(db(), { channelId: acme.channelId, recipient: "PSID-1", status: "delivered", before: mark })).toBe(0);
    const statuses = await Promise.all([first, second, after, other].map((r) => statusOf(r.conversationId)));
    expect(statuses.map((s) => [s.status, s.at])).toEqual([
      ["read", mark],
      ["read", mark],
      ["sent", null],
      ["sent", null],
    ]);
  });
});
