import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { POST } from "@/app/api/webhooks/[type]/[channelId]/route";
import { conversations, memberships, outboxMessages } from "@/db/schema";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import { resetEnvForTests } from "@/server/env";
import { fireAwayTimeouts, sendAgentMessage } from "@/server/inbox/handoff-service";
import { getTranscript } from "@/server/inbox/transcript";
import { wakeDeliveryWorkers } from "@/server/outbox/wake";
import { startDeliveryWorkers, type DeliveryWorkers } from "@/server/outbox/worker";
import { getConversation } from "@/server/pipeline/conversation-queries";
import { postWebhook, sendStatusWebhook, startFakeGraphApi, type FakeGraphApi } from "../helpers/fake-graph-api";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { signMeta } from "../helpers/webhook-signatures";
import { whatsappTenant, type WhatsappTenant } from "../helpers/whatsapp-tenant";
import { messagesWebhook, textMessage } from "../helpers/whatsapp-webhooks";

// Every turn answers with three messages: two states pass the input on, the third waits.
const THREE_REPLIES: FlowDefinitionInput = {
  name: "three replies",
  version: "1.0",
  initial_state: "one",
  states: {
    one: { type: "response", config: { response_templates: { default: "First: we got your message." } }, transitions: [{ condition: "fallback", target_state: "two" }] },
    two: { type: "response", config: { response_templates: { default: "Second: we are looking into it." } }, transitions: [{ condition: "fallback", target_state: "three" }] },
    three: { type: "response", config: { response_templates: { default: "Third: anything else?" } }, transitions: [{ condition: "any_input", target_state: "one" }] },
  },
};
const AWAY: FlowDefinitionInput = {
  name: "away",
  version: "1.0",
  initial_state: "handoff",
  states: {
    handoff: {
      type: "handoff",
      config: { message: "I'm connecting you with a colleague.", away_timeout_seconds: 60, away_message: "Our team is away; we'll write back by email." },
      transitions: [{ condition: "fallback", target_state: "done" }],
    },
    done: { type: "response", config: { response_templates: { default: "Anything else?" } }, transitions: [{ condition: "any_input", target_state: "handoff" }] },
  },
};

let handle: Awaited<ReturnType<typeof createTestDb>>;
let graph: FakeGraphApi;
let shop: WhatsappTenant;
let desk: WhatsappTenant;
let workers: DeliveryWorkers;
const kv = createTestKv();
const SHOP_PHONE = "106540352240001";
const DESK_PHONE = "106540352240002";

// The workers' clock: moved forward past each backoff instead of waiting it out (well inside WhatsApp's 24 hours).
let clock = new Date();
const MINUTE = 60_000;

/** Polls `check` (moving the clock on and waking the workers each time) until it holds; fails after 5 s. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    clock = new Date(clock.getTime() + 10 * MINUTE);
    wakeDeliveryWorkers();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const webhook = (ws: WhatsappTenant, phone: string, from: string, id: string, text: string) => {
  const body = messagesWebhook(phone, [textMessage(id, from, text)]);
  return postWebhook((req) => POST(req, { params: Promise.resolve({ type: "whatsapp", channelId: ws.publicKey }) }), body, signMeta(body, ws.secrets.app_secret!));
};
async function conversationOf(ws: WhatsappTenant, from: string) {
  const [c] = await handle.db.select().from(conversations).where(and(eq(conversations.tenantId, ws.tenantId), eq(conversations.endUserId, `wa:${from}`)));
  return c ?? null;
}
const outboxOf = (conversationId: string) => handle.db.select().from(outboxMessages).where(eq(outboxMessages.conversationId, conversationId)).orderBy(asc(outboxMessages.sequence));
const textsTo = (number: string) => graph.sent.filter((s) => s.body.to === number).map((s) => (s.body.text as { body: string }).body);

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  graph = await startFakeGraphApi({ tokens: {} });
  process.env.OUTBOUND_ALLOWED_HOSTS = graph.host;
  resetEnvForTests();
  shop = await whatsappTenant(handle.db, { company: "Shop", mode: "cloud", apiBaseUrl: `${graph.baseUrl}/v19.0`, phoneNumberId: SHOP_PHONE, flow: THREE_REPLIES });
  desk = await whatsappTenant(handle.db, { company: "Desk", mode: "cloud", apiBaseUrl: `${graph.baseUrl}/v19.0`, phoneNumberId: DESK_PHONE, flow: AWAY });
  graph.tokens[SHOP_PHONE] = shop.secrets.access_token!;
  graph.tokens[DESK_PHONE] = desk.secrets.access_token!;
  // A long poll: everything below happens because something woke the workers.
  workers = startDeliveryWorkers({ db: handle.db, depsFor: () => ({ db: handle.db }), pollMs: 60_000, now: () => clock });
});
afterAll(async () => {
  await workers.stop();
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await graph.close();
  await kv.close();
  await handle.dispose();
});

describe("the delivery workers", () => {
  it("hold replies while the Graph API answers 503 and deliver them once, in order, when it is back; an agent's reply follows and its status shows", async () => {
    graph.failUntilRecovered({ status: 503, code: 131000, message: "Service temporarily unavailable" });
    onTestFinished(() => graph.recover());
    expect((await webhook(shop, SHOP_PHONE, "447700900001", "wamid.in-1", "Where is my order?")).status).toBe(200);
    await until(() => graph.refused.length >= 3, "the platform refused three sends");
    const conversation = (await conversationOf(shop, "447700900001"))!;
    let rows = await outboxOf(conversation.id);
    // Only the first reply is being tried (queued between attempts, sending during one); the others wait untouched.
    expect(rows.map((r) => [r.providerMessageId, r.attempts > 0])).toEqual([
      [null, true],
      [null, false],
      [null, false],
    ]);
    expect(rows[0]!.lastError).toBe("The platform answered 503: Service temporarily unavailable");
    expect(graph.sent).toEqual([]);

    graph.recover();
    const accepted = async (id: string, n: number) => (await outboxOf(id)).filter((r) => r.state === "accepted").length === n;
    await until(() => accepted(conversation.id, 3), "three replies were accepted");
    expect(textsTo("447700900001")).toEqual(["First: we got your message.", "Second: we are looking into it.", "Third: anything else?"]);
    rows = await outboxOf(conversation.id);
    expect(rows.map((r) => [r.state, r.deliveryStatus])).toEqual(Array(3).fill(["accepted", "sent"]));

    const [owner] = await handle.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.tenantId, shop.tenantId));
    const reply = await sendAgentMessage(handle.db, shop.tenantId, conversation.id, { userId: owner!.userId, label: "owner@shop.test" }, "Hi, this is Ann: it ships today.");
    expect(reply.delivery_status).toBe("queued");
    await until(() => accepted(conversation.id, 4), "the agent's reply was accepted");
    expect(textsTo("447700900001")).toEqual(["First: we got your message.", "Second: we are looking into it.", "Third: anything else?", "Hi, this is Ann: it ships today."]);
    const shown = async () => (await getConversation(handle.db, shop.tenantId, conversation.id)).messages.find((m) => m.id === reply.message_id)!.delivery_status;
    expect(await shown()).toBe("sent");

    const [agentRow] = (await outboxOf(conversation.id)).filter((r) => r.messageId === reply.message_id);
    const statusHook = (req: Request) => POST(req, { params: Promise.resolve({ type: "whatsapp", channelId: shop.publicKey }) });
    await sendStatusWebhook(statusHook, { appSecret: shop.secrets.app_secret!, phoneNumberId: SHOP_PHONE, statuses: [{ wamid: agentRow!.providerMessageId!, status: "delivered", recipient: "447700900001", at: new Date() }] });
    await until(async () => (await shown()) === "delivered", "the platform's delivered status was applied");
    const transcript = await getTranscript(handle.db, shop.tenantId, conversation.id);
    expect(transcript.entries.find((e) => e.kind === "message" && e.id === reply.message_id)).toMatchObject({ author: "agent", delivery_status: "delivered", delivery_error: null });
  });

  it("send a handoff's away message to the visitor's WhatsApp", async () => {
    expect((await webhook(desk, DESK_PHONE, "447700900002", "wamid.in-2", "I need help")).status).toBe(200);
    await until(async () => (await conversationOf(desk, "447700900002")) !== null, "the turn ran");
    const conversation = (await conversationOf(desk, "447700900002"))!;
    const accepted = async (n: number) => (await outboxOf(conversation.id)).filter((r) => r.state === "accepted").length === n;
    await until(() => accepted(1), "the handoff message was sent");
    expect(conversation.status).toBe("escalated");

    expect(await fireAwayTimeouts(handle.db, new Date(Date.now() + 2 * MINUTE))).toBe(1);
    await until(() => accepted(2), "the away message was sent");
    expect(textsTo("447700900002")).toEqual(["I'm connecting you with a colleague.", "Our team is away; we'll write back by email."]);
  });

  it("let a send in flight finish before stop() resolves", async () => {
    const conversation = (await conversationOf(desk, "447700900002"))!;
    graph.hold();
    const [owner] = await handle.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.tenantId, desk.tenantId));
    await sendAgentMessage(handle.db, desk.tenantId, conversation.id, { userId: owner!.userId, label: "owner@desk.test" }, "Sorry for the wait.");
    await until(() => graph.heldRequested(), "the send reached the platform");
    let stopped = false;
    const stopping = workers.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopped).toBe(false);
    graph.release();
    await stopping;
    expect((await outboxOf(conversation.id)).map((r) => r.state)).toEqual(["accepted", "accepted", "accepted"]);
    expect(textsTo("447700900002").at(-1)).toBe("Sorry for the wait.");
  });
});
