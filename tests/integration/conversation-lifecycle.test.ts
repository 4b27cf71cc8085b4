import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationEvents, conversations, messages } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { saveDraft } from "@/server/flow-store/flow-drafts";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

const flowAnswering = (answer: string) => ({
  name: "support",
  version: "1",
  initial_state: "router",
  intents: {
    human_escalation: { examples: ["I want to talk to a person", "connect me to a human", "real person please", "speak to an agent"] },
    thanks: { examples: ["thank you", "thanks a lot", "cheers", "thanks"] },
  },
  states: {
    router: {
      type: "intent",
      config: { intent_patterns: ["human_escalation", "thanks"], confidence_threshold: 0.5 },
      transitions: [
        { condition: "intent_match", condition_value: "human_escalation", target_state: "handoff" },
        { condition: "fallback", target_state: "answer" },
      ],
    },
    answer: { type: "response", config: { response_templates: { default: answer } }, transitions: [{ condition: "any_input", target_state: "router" }] },
    handoff: { type: "handoff", config: { message: "I'm connecting you with a colleague.", waiting_message: "A colleague will answer here soon." }, transitions: [] },
  },
});

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
let tenantId: string;
let userId: string;
let flowId: string;

beforeAll(async () => {
  handle = await createTestDb();
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Acme", email: `owner-${Date.now()}@acme.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  tenantId = tenant.id;
  userId = user.id;
  const flow = await createFlow(handle.db, tenantId, userId, { name: "support", definition: flowAnswering("Answer from version one.") });
  flowId = flow.id;
  await publishFlow(handle.db, tenantId, userId, flowId);
});
afterAll(async () => {
  await handle.dispose();
});

const texts = (result: { response: { messages: { text: string }[] } }) => result.response.messages.map((m) => m.text);

describe("publishing as the test widget shows it", () => {
  it("gives a new conversation the live version while a running one keeps its version", async () => {
    const api = callerFor({ db: handle.db, kv, mailer }, userId, tenantId);
    const before = await api.chat.test({ text: "what can you do?", newConversation: true });
    expect(texts(before)).toEqual(["Answer from version one."]);

    await saveDraft(handle.db, tenantId, userId, { flowId, definition: flowAnswering("Answer from version two."), canvas: { positions: {}, samples: {} }, baseRevision: 0 });
    await publishFlow(handle.db, tenantId, userId, flowId);

    // The running conversation stays on the version it started with, as designed...
    const running = await api.chat.test({ text: "and now?", conversationId: before.conversation_id });
    expect(texts(running)).toEqual(["Answer from version one."]);
    // ...and "New conversation" starts one on the version just published, even within the day a conversation is continued.
    const fresh = await api.chat.test({ text: "and now?", newConversation: true });
    expect(fresh.conversation_id).not.toBe(before.conversation_id);
    expect(texts(fresh)).toEqual(["Answer from version two."]);
    expect(fresh.processing_metadata.flow_version_id).not.toBe(before.processing_metadata.flow_version_id);
  });
});

describe("a conversation waiting for a person", () => {
  it("answers every visitor message with the waiting message on the same conversation, never with silence", async () => {
    const visitor = { user_id: "whatsapp:+15550100", channel: "whatsapp" as const };
    const asked = await processMessage({ db: handle.db }, tenantId, { ...visitor, content: { type: "text", text: "I want to talk to a person" } });
    expect(asked.response.messages).toEqual([{ type: "handoff", text: "I'm connecting you with a colleague." }]);

    // A messaging channel sends no conversation id: the waiting conversation is still the one continued.
    for (const text of ["hello?", "is anyone there?"]) {
      const again = await processMessage({ db: handle.db }, tenantId, { ...visitor, content: { type: "text", text } });
      expect(again.conversation_id).toBe(asked.conversation_id);
      expect(again.response.messages).toEqual([{ type: "handoff", text: "A colleague will answer here soon." }]);
    }
    const [row] = await handle.db.select({ status: conversations.status, count: conversations.messageCount }).from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, asked.conversation_id)));
    expect(row).toEqual({ status: "escalated", count: 6 });
  });
});

describe("what a turn records for the inbox and the analytics", () => {
  const row = async (id: string) => {
    const [r] = await handle.db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)));
    return r!;
  };
  const eventsOf = (id: string) =>
    handle.db.select({ kind: conversationEvents.kind, from: conversationEvents.fromStatus, to: conversationEvents.toStatus, actor: conversationEvents.actorLabel }).from(conversationEvents).where(eq(conversationEvents.conversationId, id)).orderBy(asc(conversationEvents.createdAt));

  it("stores the states entered, what was not understood and the handoff, and keeps the bot quiet once a person has it", async () => {
    const visitor = { user_id: "web:facts-visitor", channel: "web" as const };
    const first = await processMessage({ db: handle.db }, tenantId, { ...visitor, content: { type: "text", text: "qwzx blorft" } });
    expect(texts(first)).toEqual(["Answer from version two."]);
    let conv = await row(first.conversation_id);
    expect(conv.visitedStates.sort()).toEqual(["answer", "router"]);
    expect(conv.notUnderstoodCount).toBe(1);
    const [inbound] = await handle.db.select({ metadata: messages.metadata }).from(messages).where(and(eq(messages.conversationId, first.conversation_id), eq(messages.direction, "inbound")));
    expect(inbound!.metadata).toMatchObject({ states: ["router", "answer"], not_understood: true, bot_answered: true });

    const escalated = await processMessage({ db: handle.db }, tenantId, { ...visitor, conversation_id: first.conversation_id, content: { type: "text", text: "connect me to a human" } });
    expect(texts(escalated)).toEqual(["I'm connecting you with a colleague."]);
    conv = await row(first.conversation_id);
    expect(conv.status).toBe("escalated");
    expect(conv.handedOffAt).toEqual(conv.statusChangedAt);
    expect(conv.visitedStates.sort()).toEqual(["answer", "handoff", "router"]);
    expect(await eventsOf(first.conversation_id)).toEqual([{ kind: "handoff_requested", from: "in_progress", to: "escalated", actor: "bot" }]);

    // A person takes it: the visitor's next message is stored for them and the bot says nothing.
    await handle.db.update(conversations).set({ status: "with_agent", assignedTo: userId }).where(eq(conversations.id, first.conversation_id));
    const heard = await processMessage({ db: handle.db }, tenantId, { ...visitor, conversation_id: first.conversation_id, content: { type: "text", text: "my order 123 is late" } });
    expect(heard.response.messages).toEqual([]);
    conv = await row(first.conversation_id);
    expect(conv.status).toBe("with_agent");
    const last = await handle.db.select({ text: messages.text, direction: messages.direction, metadata: messages.metadata }).from(messages).where(eq(messages.conversationId, first.conversation_id)).orderBy(desc(messages.sequence)).limit(1);
    expect(last[0]).toMatchObject({ text: "my order 123 is late", direction: "inbound", metadata: { bot_answered: false } });
  });

  it("gives a resolved conversation back to the bot when the visitor writes again, as a reopening", async () => {
    const visitor = { user_id: "web:reopen-visitor", channel: "web" as const };
    const first = await processMessage({ db: handle.db }, tenantId, { ...visitor, content: { type: "text", text: "thanks" } });
    const [state] = await handle.db.select({ state: conversations.state }).from(conversations).where(eq(conversations.id, first.conversation_id));
    await handle.db.update(conversations).set({ status: "resolved", resolvedAt: new Date(), state: { ...state!.state, status: "ended" } }).where(eq(conversations.id, first.conversation_id));

    const again = await processMessage({ db: handle.db }, tenantId, { ...visitor, conversation_id: first.conversation_id, content: { type: "text", text: "one more question" } });
    expect(again.conversation_id).toBe(first.conversation_id);
    expect(texts(again)).toEqual(["Answer from version two."]);
    expect((await row(first.conversation_id)).status).toBe("in_progress");
    expect(await eventsOf(first.conversation_id)).toEqual([{ kind: "reopened", from: "resolved", to: "in_progress", actor: "end user" }]);
  });

  it("marks the dashboard's test widget conversations as sandbox", async () => {
    const api = callerFor({ db: handle.db, kv, mailer }, userId, tenantId);
    const tried = await api.chat.test({ text: "hello there", newConversation: true });
    expect((await row(tried.conversation_id)).sandbox).toBe(true);
  });
});
