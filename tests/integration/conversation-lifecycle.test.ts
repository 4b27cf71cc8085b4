import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations } from "@/db/schema";
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
