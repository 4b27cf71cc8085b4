import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationEvents, conversations, memberships, messages, tenants, users } from "@/db/schema";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { visitorLabel } from "@/server/inbox/end-user-profile";
import type { InboxRow } from "@/server/inbox/inbox-queries";
import type { InboxFiltersInput } from "@/server/inbox/inbox-schemas";
import { processMessage } from "@/server/pipeline/process-message";
import { createCallerFactory } from "@/server/trpc/init";
import { inboxRouter } from "@/server/trpc/routers/inbox";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { useWorkspaces } from "../helpers/flow-workspaces";
import { createTestKv } from "../helpers/test-kv";

const w = useWorkspaces();
const kv = createTestKv();
const mailer = createCaptureMailer();
afterAll(() => kv.close());

const inboxAs = (userId: string, tenantId: string) =>
  createCallerFactory(inboxRouter)({ db: w.db, kv, mailer, userId, activeTenantId: tenantId, ip: null, setActiveTenant: () => {} });
type Inbox = ReturnType<typeof inboxAs>;

const supportFlow = {
  name: "support",
  version: "1",
  initial_state: "router",
  intents: {
    human_escalation: { examples: ["I want to talk to a person", "connect me to a human", "real person please", "speak to an agent"] },
    order_status: { examples: ["where is my order", "track my order", "order status please", "when does my parcel arrive"] },
  },
  states: {
    router: {
      type: "intent",
      config: { intent_patterns: ["human_escalation", "order_status"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff" },
        { condition: "intent_match", condition_value: "order_status", target_state: "order" },
        { condition: "fallback", target_state: "answer" },
      ],
    },
    order: { type: "response", config: { response_templates: { default: "Your order ships tomorrow." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    answer: { type: "response", config: { response_templates: { default: "I can track orders or find you a colleague." } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    handoff: { type: "handoff", config: { message: "I'm connecting you with a colleague." }, transitions: [] },
  },
};

let acme: { tenantId: string; ownerId: string };
let other: { tenantId: string; ownerId: string };
let annId: string;
let owner: Inbox;
let ann: Inbox;
let stranger: Inbox;

async function addAgent(tenantId: string, email: string, name: string): Promise<string> {
  const [user] = await w.db.insert(users).values({ email, name, passwordHash: "unused", emailVerifiedAt: new Date() }).returning();
  await w.db.insert(memberships).values({ tenantId, userId: user!.id, role: "member" });
  return user!.id;
}

const say = (tenantId: string, userId: string, text: string, extra: { channel?: "web" | "whatsapp"; channel_metadata?: Record<string, unknown> } = {}) =>
  processMessage({ db: w.db }, tenantId, { user_id: userId, channel: extra.channel ?? "web", content: { type: "text", text }, channel_metadata: extra.channel_metadata });

/** A conversation written directly, for facts the bot does not produce on demand (dates, states, counts). */
async function insertConversation(tenantId: string, values: Partial<typeof conversations.$inferInsert> = {}, text = "hello there") {
  const id = randomUUID();
  const at = values.updatedAt ?? new Date();
  await w.db.insert(conversations).values({ id, tenantId, endUserId: `web:${id}`, channel: "web", messageCount: 1, lastSequence: 1, createdAt: at, updatedAt: at, statusChangedAt: at, ...values });
  await w.db.insert(messages).values({ tenantId, conversationId: id, sequence: 1, direction: "inbound", channel: values.channel ?? "web", contentType: "text", content: { type: "text", text }, text, createdAt: at });
  return id;
}

const ids = (rows: InboxRow[]) => rows.map((r) => r.id);
const listIds = async (caller: Inbox, filters: InboxFiltersInput) => ids((await caller.list(filters)).rows);

beforeAll(async () => {
  acme = await w.workspace("Acme", `owner-${randomUUID().slice(0, 8)}@acme.test`);
  other = await w.workspace("Other", `owner-${randomUUID().slice(0, 8)}@other.test`);
  annId = await addAgent(acme.tenantId, `ann-${randomUUID().slice(0, 8)}@acme.test`, "Ann");
  owner = inboxAs(acme.ownerId, acme.tenantId);
  ann = inboxAs(annId, acme.tenantId);
  stranger = inboxAs(other.ownerId, other.tenantId);
  const flow = await createFlow(w.db, acme.tenantId, acme.ownerId, { name: "support", definition: supportFlow });
  await publishFlow(w.db, acme.tenantId, acme.ownerId, flow.id);
});

describe("the conversation list", () => {
  it("shows who wrote, what was said last and that it is unread, most recent first", async () => {
    const first = await say(acme.tenantId, "web:visitor-one", "where is my order");
    const second = await say(acme.tenantId, "whatsapp:+15550101", "hi", { channel: "whatsapp", channel_metadata: { user_name: "Maria Lopez" } });
    const { rows } = await owner.list({});
    const [top, next] = rows;
    expect(top).toMatchObject({ id: second.conversation_id, channel: "whatsapp", status: "in_progress", unread: true, end_user: { label: "Maria Lopez", name: "Maria Lopez" } });
    expect(top!.last_message).toMatchObject({ author: "bot", text: "I can track orders or find you a colleague." });
    expect(next).toMatchObject({ id: first.conversation_id, primary_intent: "order_status", end_user: { label: visitorLabel("web:visitor-one"), name: null } });
    expect(next!.end_user.label).toMatch(/^Visitor [0-9a-f]{4}$/);
  });

  it("puts a visitor asking for a person in the queue, waiting since the handoff", async () => {
    const asked = await say(acme.tenantId, "web:needs-help", "I want to talk to a person");
    const { rows } = await owner.list({ status: "waiting" });
    expect(ids(rows)).toContain(asked.conversation_id);
    const row = rows.find((r) => r.id === asked.conversation_id)!;
    expect(row.status).toBe("escalated");
    expect(row.waiting_since).not.toBeNull();
    expect(row.last_message).toMatchObject({ author: "bot", text: "I'm connecting you with a colleague." });
    expect(await listIds(owner, { status: "bot" })).not.toContain(asked.conversation_id);
  });

  it("narrows by each filter", async () => {
    const shop = await w.workspace("Filters", `owner-${randomUUID().slice(0, 8)}@filters.test`);
    const bobId = await addAgent(shop.tenantId, `bob-${randomUUID().slice(0, 8)}@filters.test`, "Bob");
    const t = shop.tenantId;
    const plain = await insertConversation(t);
    const slack = await insertConversation(t, { channel: "slack", primaryIntent: "refund" });
    const bobHas = await insertConversation(t, { status: "with_agent", assignedTo: bobId });
    const reachedEmail = await insertConversation(t, { visitedStates: ["router", "ask_email"] });
    const confused = await insertConversation(t, { notUnderstoodCount: 2 });
    const resolved = await insertConversation(t, { status: "resolved" });
    const fromTestWidget = await insertConversation(t, { sandbox: true });
    const boss = inboxAs(shop.ownerId, t);
    const bob = inboxAs(bobId, t);

    const everything = (await boss.list({})).rows;
    expect(new Set(ids(everything))).toEqual(new Set([plain, slack, bobHas, reachedEmail, confused, resolved, fromTestWidget]));
    // Test-widget conversations are listed, marked as tests.
    expect(everything.filter((r) => r.sandbox).map((r) => r.id)).toEqual([fromTestWidget]);
    expect(await listIds(boss, { channel: "slack" })).toEqual([slack]);
    expect(await listIds(boss, { intent: "refund" })).toEqual([slack]);
    expect(await listIds(boss, { status: "with_agent" })).toEqual([bobHas]);
    expect(await listIds(boss, { status: "resolved" })).toEqual([resolved]);
    expect(await listIds(bob, { assigned: "me" })).toEqual([bobHas]);
    expect(await listIds(boss, { assigned: bobId })).toEqual([bobHas]);
    expect(await listIds(boss, { assigned: "me" })).toEqual([]);
    expect(await listIds(boss, { assigned: "unassigned" })).not.toContain(bobHas);
    expect(await listIds(boss, { state: "ask_email" })).toEqual([reachedEmail]);
    expect(await listIds(boss, { not_understood: "1" })).toEqual([confused]);
    expect(await listIds(boss, { channel: "slack", intent: "order_status" })).toEqual([]);
  });

  it("counts days in the tenant's time zone", async () => {
    const zoned = await w.workspace("Zoned", `owner-${randomUUID().slice(0, 8)}@zoned.test`);
    await w.db.update(tenants).set({ timeZone: "America/New_York" }).where(eq(tenants.id, zoned.tenantId));
    // New York is UTC-4 until 1 November 2026 (02:00 local), UTC-5 after: 03:00 UTC that day is still 31 October there,
    // and 04:30 UTC on 1 December is still 30 November.
    const october = await insertConversation(zoned.tenantId, { createdAt: new Date("2026-11-01T03:00:00Z") });
    const november = await insertConversation(zoned.tenantId, { createdAt: new Date("2026-11-01T05:00:00Z") });
    const lateNovember = await insertConversation(zoned.tenantId, { createdAt: new Date("2026-12-01T04:30:00Z") });
    const december = await insertConversation(zoned.tenantId, { createdAt: new Date("2026-12-01T06:00:00Z") });
    const zonedInbox = inboxAs(zoned.ownerId, zoned.tenantId);
    expect(new Set(await listIds(zonedInbox, { from: "2026-11-01", to: "2026-11-30" }))).toEqual(new Set([november, lateNovember]));
    expect(await listIds(zonedInbox, { to: "2026-10-31" })).toEqual([october]);
    expect(await listIds(zonedInbox, { from: "2026-12-01" })).toEqual([december]);
  });

  it("finds conversations by the words written in them, in this tenant only", async () => {
    const parcel = await insertConversation(acme.tenantId, {}, "My parcel never arrived in Lisbon");
    await insertConversation(other.tenantId, {}, "Lisbon parcel question");
    expect(await listIds(owner, { q: "lisbon parcel" })).toEqual([parcel]);
    expect(await listIds(owner, { q: "Rotterdam" })).toEqual([]);
  });

  it("refuses a filter value it does not know, naming the field", async () => {
    await expect(owner.list({ status: "sleeping" as "bot" })).rejects.toThrow(/Status/);
    await expect(owner.list({ from: "1 November" })).rejects.toThrow(/From/);
  });
});

describe("pagination", () => {
  it("returns every conversation exactly once across pages, even when many changed at the same instant", async () => {
    const busy = await w.workspace("Busy", `owner-${randomUUID().slice(0, 8)}@busy.test`);
    const same = new Date("2026-06-01T10:00:00Z");
    const written = new Set<string>();
    for (let i = 0; i < 130; i++) written.add(await insertConversation(busy.tenantId, { updatedAt: i % 3 === 0 ? same : new Date(same.getTime() + i * 1000) }));
    const inbox = inboxAs(busy.ownerId, busy.tenantId);
    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    do {
      const page = await inbox.list({ cursor });
      pageSizes.push(page.rows.length);
      seen.push(...ids(page.rows));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([50, 50, 30]);
    expect(new Set(seen)).toEqual(written);
    expect(seen).toHaveLength(written.size);
  });

  it("lists the queue longest-waiting first", async () => {
    const queue = await w.workspace("Queue", `owner-${randomUUID().slice(0, 8)}@queue.test`);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const recent = await insertConversation(queue.tenantId, { status: "escalated", statusChangedAt: minutesAgo(2), updatedAt: minutesAgo(1) });
    const longest = await insertConversation(queue.tenantId, { status: "escalated", statusChangedAt: minutesAgo(30), updatedAt: minutesAgo(0) });
    const middle = await insertConversation(queue.tenantId, { status: "escalated", statusChangedAt: minutesAgo(10), updatedAt: minutesAgo(3) });
    const inbox = inboxAs(queue.ownerId, queue.tenantId);
    expect(await listIds(inbox, { status: "waiting", sort: "waiting" })).toEqual([longest, middle, recent]);
  });

  it("says a tampered page link has expired instead of failing", async () => {
    await expect(owner.list({ cursor: "not-a-cursor" })).rejects.toThrow("This page link has expired; reload the inbox.");
  });
});

describe("unread markers", () => {
  it("clears when read and comes back when the visitor writes again", async () => {
    const turn = await say(acme.tenantId, "web:unread-visitor", "hello");
    const row = async () => (await ann.list({})).rows.find((r) => r.id === turn.conversation_id)!;
    expect((await row()).unread).toBe(true);
    await ann.markRead({ conversationId: turn.conversation_id });
    expect((await row()).unread).toBe(false);
    // Each member has their own marker.
    expect((await owner.list({})).rows.find((r) => r.id === turn.conversation_id)!.unread).toBe(true);
    await say(acme.tenantId, "web:unread-visitor", "are you there?");
    expect((await row()).unread).toBe(true);
  });
});

describe("the transcript", () => {
  it("interleaves messages, status changes and internal notes in order, with the bot turn's details", async () => {
    const asked = await say(acme.tenantId, "web:transcript-visitor", "I want to talk to a person");
    const conversationId = asked.conversation_id;
    await ann.take({ conversationId });
    const reply = await ann.reply({ conversationId, text: "Hi, this is Ann. How can I help?" });
    await ann.note({ conversationId, text: "Customer sounds upset about a late parcel." });
    await ann.release({ conversationId });

    const { conversation, entries, profile } = await owner.get({ conversationId });
    expect(conversation).toMatchObject({ id: conversationId, status: "in_progress", current_state: "router" });
    const story = entries.map((e) => (e.kind === "message" ? `${e.author}: ${"text" in e.content ? e.content.text : e.content.type}` : `${e.event} by ${e.actor}${e.note ? `: ${e.note}` : ""}`));
    expect(story).toEqual([
      "user: I want to talk to a person",
      "bot: I'm connecting you with a colleague.",
      "handoff_requested by bot",
      "taken by Ann",
      "agent: Hi, this is Ann. How can I help?",
      "note by Ann: Customer sounds upset about a late parcel.",
      "released by Ann",
    ]);
    const botTurn = entries.find((e) => e.kind === "message" && e.author === "bot");
    expect(botTurn).toMatchObject({ bot: { state: "handoff", intent: "human_escalation" } });
    expect(botTurn?.kind === "message" && botTurn.bot!.confidence).toBeGreaterThan(0.5);
    const agentMessage = entries.find((e) => e.kind === "message" && e.author === "agent");
    expect(agentMessage).toMatchObject({ id: reply.message_id, agent: { name: "Ann" }, delivery_status: "delivered", bot: null });
    expect(profile).toMatchObject({ end_user_id: "web:transcript-visitor", conversation_count: 1, channel_ids: [{ channel: "web", id: "web:transcript-visitor" }] });
    expect(profile.conversations.map((c) => c.id)).toEqual([conversationId]);
  });

  it("shows slots, model, cost, attachments and locations as stored", async () => {
    const t = acme.tenantId;
    const id = await insertConversation(t, { endUserId: "whatsapp:+15550199" }, "first");
    const inboundId = randomUUID();
    const at = (s: number) => new Date(Date.now() + s * 1000);
    await w.db.insert(messages).values([
      {
        id: inboundId, tenantId: t, conversationId: id, sequence: 2, direction: "inbound", channel: "whatsapp", contentType: "location",
        content: { type: "location", latitude: 38.72, longitude: -9.14, name: "Lisbon office" }, text: "Lisbon office", intent: "order_status", createdAt: at(1),
        metadata: { channel_metadata: { email: "maria@example.com" }, result: { conversation_state: { current_state: "order", slots: { order_id: "A-1001" } }, processing_metadata: { intent: { confidence: 0.92 } } } },
      },
      {
        tenantId: t, conversationId: id, replyTo: inboundId, sequence: 3, direction: "outbound", channel: "whatsapp", contentType: "carousel", createdAt: at(1),
        content: { type: "carousel", text: "Pick one", items: [{ title: "Blue mug", subtitle: "12 EUR" }] }, text: "Pick one",
        metadata: { author: "bot", state: "order", model_used: "gpt-4o-mini", cost_cents: 0.04, delivery_status: "queued" },
      },
      {
        tenantId: t, conversationId: id, sequence: 4, direction: "inbound", channel: "whatsapp", contentType: "file", createdAt: at(2),
        content: { type: "file", url: "https://files.example.com/invoice.pdf", mime_type: "application/pdf", size_bytes: 2048, filename: "invoice.pdf" }, text: null,
      },
    ]);
    await w.db.update(conversations).set({ lastSequence: 4, messageCount: 4, updatedAt: at(2) }).where(eq(conversations.id, id));

    const { entries, profile } = await owner.get({ conversationId: id });
    const shown = entries.filter((e) => e.kind === "message");
    expect(shown.map((m) => m.content)).toEqual([
      { type: "text", text: "first" },
      { type: "location", latitude: 38.72, longitude: -9.14, name: "Lisbon office" },
      { type: "carousel", text: "Pick one", items: [{ title: "Blue mug", subtitle: "12 EUR" }] },
      { type: "file", url: "https://files.example.com/invoice.pdf", mime_type: "application/pdf", size_bytes: 2048, filename: "invoice.pdf" },
    ]);
    expect(shown[2]).toMatchObject({ author: "bot", delivery_status: "queued", bot: { state: "order", intent: "order_status", confidence: 0.92, slots: { order_id: "A-1001" }, model: "gpt-4o-mini", cost_cents: 0.04 } });
    expect(profile).toMatchObject({ email: "maria@example.com", label: "maria@example.com" });
    const row = (await owner.list({ q: "lisbon office" })).rows[0]!;
    expect(row).toMatchObject({ id, last_message: { author: "user", text: "File: invoice.pdf" }, end_user: { email: "maria@example.com" } });
  });

  it("offers the flow's states to resume at, the initial state first", async () => {
    const turn = await say(acme.tenantId, "web:states-visitor", "hello");
    const { initial, states } = await owner.states({ conversationId: turn.conversation_id });
    expect(initial).toBe("router");
    expect(states.map((s) => s.name)).toEqual(["router", "order", "answer", "handoff"]);
  });

  it("tells an agent who already has the conversation", async () => {
    const asked = await say(acme.tenantId, "web:contested", "speak to an agent");
    await ann.take({ conversationId: asked.conversation_id });
    await expect(owner.take({ conversationId: asked.conversation_id })).rejects.toThrow(/Ann .*has this conversation/);
    const { conversation } = await owner.get({ conversationId: asked.conversation_id });
    expect(conversation.assigned_agent).toMatchObject({ user_id: annId, name: "Ann" });
  });
});

describe("agents", () => {
  it("lists members with their availability and lets each set their own", async () => {
    await ann.setAvailable({ available: true });
    const agents = await owner.agents();
    expect(agents.find((a) => a.user_id === annId)).toMatchObject({ name: "Ann", available: true, you: false });
    expect(agents.find((a) => a.user_id === acme.ownerId)).toMatchObject({ available: false, you: true });
    await ann.setAvailable({ available: false });
    expect((await owner.agents()).find((a) => a.user_id === annId)?.available).toBe(false);
  });
});

describe("another tenant's member", () => {
  it("sees none of the conversations and gets 'not found' for each one", async () => {
    const asked = await say(acme.tenantId, "web:private-visitor", "I want to talk to a person");
    const conversationId = asked.conversation_id;
    const theirs = await listIds(stranger, {});
    const acmeIds = (await w.db.select({ id: conversations.id }).from(conversations).where(eq(conversations.tenantId, acme.tenantId))).map((r) => r.id);
    expect(theirs.filter((id) => acmeIds.includes(id))).toEqual([]);
    expect(await listIds(stranger, { q: "person" })).toEqual([]);
    for (const attempt of [
      () => stranger.get({ conversationId }),
      () => stranger.take({ conversationId }),
      () => stranger.reply({ conversationId, text: "I am not from Acme" }),
      () => stranger.note({ conversationId, text: "snooping" }),
      () => stranger.markRead({ conversationId }),
      () => stranger.states({ conversationId }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "NOT_FOUND", message: "Conversation not found." });
    }
    const [row] = await w.db.select({ status: conversations.status, count: conversations.messageCount }).from(conversations).where(eq(conversations.id, conversationId));
    expect(row).toEqual({ status: "escalated", count: 2 });
    const events = await w.db.select({ kind: conversationEvents.kind }).from(conversationEvents).where(eq(conversationEvents.conversationId, conversationId));
    expect(events.map((e) => e.kind)).toEqual(["handoff_requested"]);
  });
});
