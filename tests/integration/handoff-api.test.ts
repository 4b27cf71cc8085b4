import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postAgentMessage } from "@/app/api/v2/chat/conversations/[id]/agent-messages/route";
import { POST as postHandoff } from "@/app/api/v2/chat/conversations/[id]/handoff/route";
import { GET as getHistory } from "@/app/api/v2/chat/conversations/[id]/history/route";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { GET as openapi } from "@/app/api/v2/openapi.json/route";
import { conversationEvents, conversations, memberships, messages, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { successEnvelopeSchema } from "@/server/http/envelope";
import { agentMessageViewSchema, handoffViewSchema } from "@/server/inbox/handoff-schemas";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

const BASE = "http://localhost:3000";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let tenantA: string;
let keyA: string;
let keyB: string;
let visitors = 0;

async function tenantWithKey(name: string) {
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: name, email: `owner@${name}.test`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
  return { tenantId: tenant.id, key: (await createApiKey(handle.db, tenant.id, null)).key };
}

async function addMember(tenantId: string, email: string, name: string | null) {
  const [user] = await handle.db.insert(users).values({ email, name, passwordHash: await hashPassword("irrelevant-pass-1"), emailVerifiedAt: new Date() }).returning();
  await handle.db.insert(memberships).values({ tenantId, userId: user!.id, role: "member" });
  return user!.id;
}

const post = (handler: (req: Request) => Promise<Response>, path: string, body: unknown, key = keyA) =>
  handler(new Request(`${BASE}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }));
const handoff = (id: string, body: unknown, key = keyA) => post(postHandoff, `/api/v2/chat/conversations/${id}/handoff`, body, key);
const agentMessage = (id: string, body: unknown, key = keyA) => post(postAgentMessage, `/api/v2/chat/conversations/${id}/agent-messages`, body, key);
const visitorSays = async (user_id: string, text: string, conversation_id?: string) => {
  const res = await post(postMessage, "/api/v2/chat/message", { user_id, channel: "whatsapp", content: { type: "text", text }, ...(conversation_id && { conversation_id }) });
  expect(res.status).toBe(200);
  return (await res.json()).data as { conversation_id: string; response: { messages: { text: string }[] } };
};

/** A WhatsApp visitor on the starter flow who asks for a person. */
async function waitingConversation() {
  const user = `whatsapp:+1555010${++visitors}`;
  const asked = await visitorSays(user, "talk to a human");
  expect(asked.response.messages.map((m) => m.text)).toEqual(["I'm connecting you with our team. Someone will reply here shortly."]);
  return { id: asked.conversation_id, user };
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(body).toMatchObject({ status: "error", error: { code }, meta: { request_id: expect.any(String) } });
  return body.error as { message: string; details: Record<string, unknown> & { fields?: Record<string, string> } };
}

const row = async (id: string) => (await handle.db.select().from(conversations).where(and(eq(conversations.tenantId, tenantA), eq(conversations.id, id))))[0]!;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  ({ tenantId: tenantA, key: keyA } = await tenantWithKey("acme"));
  ({ key: keyB } = await tenantWithKey("globex"));
  await addMember(tenantA, "ann@acme.test", "Ann Smith");
  await addMember(tenantA, "bob@acme.test", "Bob Jones");
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("POST /api/v2/chat/conversations/{id}/handoff", () => {
  it("takes a waiting conversation for the named member and answers in the success envelope", async () => {
    const { id } = await waitingConversation();
    const res = await handoff(id, { action: "take", agent_email: "  Ann@Acme.test " });
    expect(res.status).toBe(200);
    const body = successEnvelopeSchema(handoffViewSchema).strict().parse(await res.json());
    expect(body.data).toMatchObject({ conversation_id: id, status: "with_agent", assigned_agent: { email: "ann@acme.test", name: "Ann Smith" }, current_state: "handoff" });
  });

  it("answers 409 naming the agent who has it when another member tries to take it", async () => {
    const { id } = await waitingConversation();
    expect((await handoff(id, { action: "take", agent_email: "ann@acme.test" })).status).toBe(200);
    const error = await expectError(await handoff(id, { action: "take", agent_email: "bob@acme.test" }), 409, "CONFLICT");
    expect(error.message).toBe("Ann Smith (ann@acme.test) has this conversation.");
    expect((await row(id)).assignedTo).not.toBeNull();
  });

  it("hands back to the bot at the chosen state, recorded as done by the API, and the bot answers the next message there", async () => {
    const { id, user } = await waitingConversation();
    await handoff(id, { action: "take", agent_email: "ann@acme.test" });
    const res = await handoff(id, { action: "release", resume_state: "router" });
    expect(res.status).toBe(200);
    expect((await res.json()).data).toMatchObject({ status: "in_progress", current_state: "router" });
    const [event] = await handle.db.select().from(conversationEvents).where(and(eq(conversationEvents.tenantId, tenantA), eq(conversationEvents.conversationId, id), eq(conversationEvents.kind, "released")));
    expect(event).toMatchObject({ actorLabel: "API", actorUserId: null, detail: { resume_state: "router" } });

    const next = await visitorSays(user, "thanks a lot", id);
    expect(next.response.messages.map((m) => m.text)).toEqual(["You're welcome! Is there anything else I can help with?"]);
  });

  it("resolves, and a visitor who writes again is answered by the bot", async () => {
    const { id, user } = await waitingConversation();
    const res = await handoff(id, { action: "resolve", agent_email: "bob@acme.test" });
    expect((await res.json()).data).toMatchObject({ status: "resolved" });
    await expectError(await handoff(id, { action: "resolve" }), 409, "CONFLICT");

    const again = await visitorSays(user, "thank you", id);
    expect(again.conversation_id).toBe(id);
    expect(again.response.messages.map((m) => m.text)).toEqual(["You're welcome! Is there anything else I can help with?"]);
    expect((await row(id)).status).toBe("in_progress");
  });

  it("refuses bad requests with 400 VALIDATION_ERROR naming the field", async () => {
    const { id } = await waitingConversation();
    const cases: [string, unknown, string][] = [
      [id, { action: "take" }, "agent_email"],
      [id, { action: "take", agent_email: "not-an-email" }, "agent_email"],
      [id, { action: "release", agent_email: "ann@acme.test", resume_state: "" }, "resume_state"],
      [id, { action: "take", agent_email: "ann@acme.test", resume_state: "router" }, "resume_state"],
      [id, { action: "escalate" }, "action"],
      [id, { action: "resolve", priority: "high" }, "body"],
      [id, "{not json", "body"],
      ["not-a-uuid", { action: "resolve" }, "id"],
    ];
    for (const [target, body, field] of cases) {
      const error = await expectError(await handoff(target, body), 400, "VALIDATION_ERROR");
      expect(Object.keys(error.details.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const unknown = await expectError(await handoff(id, { action: "resolve", priority: "high" }), 400, "VALIDATION_ERROR");
    expect(unknown.message).toBe("Unknown field: priority");
    expect((await row(id)).status).toBe("escalated");
  });

  it("refuses an agent_email that is no member of the key's workspace", async () => {
    const { id } = await waitingConversation();
    const error = await expectError(await handoff(id, { action: "take", agent_email: "owner@globex.test" }), 400, "VALIDATION_ERROR");
    expect(error.message).toBe("agent_email is not a member of this workspace.");
    expect(error.details.fields).toEqual({ agent_email: "Not a member of this workspace" });
  });

  it("refuses a resume state the flow does not have, listing the states it has", async () => {
    const { id } = await waitingConversation();
    const error = await expectError(await handoff(id, { action: "release", resume_state: "checkout" }), 400, "VALIDATION_ERROR");
    expect(error.details).toMatchObject({ field: "resume_state", states: expect.arrayContaining(["router", "greet", "handoff"]) });
  });
});

describe("POST /api/v2/chat/conversations/{id}/agent-messages", () => {
  it("stores the agent's reply on the visitor's channel, queued for delivery, and the history shows it as the agent's", async () => {
    const { id } = await waitingConversation();
    const res = await agentMessage(id, { text: "Hi, this is Ann. Your parcel left the depot today.", agent_email: "ann@acme.test" });
    expect(res.status).toBe(201);
    const body = successEnvelopeSchema(agentMessageViewSchema).strict().parse(await res.json());
    expect(body.data).toMatchObject({ conversation_id: id, text: "Hi, this is Ann. Your parcel left the depot today.", author: "agent", agent_email: "ann@acme.test", delivery_status: "queued" });

    const history = await (await getHistory(new Request(`${BASE}/api/v2/chat/conversations/${id}/history`, { headers: { authorization: `Bearer ${keyA}` } }))).json();
    expect(history.data.messages.at(-1)).toMatchObject({ direction: "outbound", channel: "whatsapp", text: "Hi, this is Ann. Your parcel left the depot today.", author: "agent", delivery_status: "queued" });
    expect(await row(id)).toMatchObject({ status: "with_agent" });
  });

  it("answers 409 when another member has the conversation", async () => {
    const { id } = await waitingConversation();
    await handoff(id, { action: "take", agent_email: "bob@acme.test" });
    const error = await expectError(await agentMessage(id, { text: "Ann here", agent_email: "ann@acme.test" }), 409, "CONFLICT");
    expect(error.message).toBe("Bob Jones (bob@acme.test) has this conversation.");
  });

  it("refuses bad requests with 400 VALIDATION_ERROR naming the field", async () => {
    const { id } = await waitingConversation();
    const cases: [unknown, string][] = [
      [{ text: "   ", agent_email: "ann@acme.test" }, "text"],
      [{ text: "x".repeat(4001), agent_email: "ann@acme.test" }, "text"],
      [{ text: "Hello" }, "agent_email"],
      [{ text: "Hello", agent_email: "ann@acme.test", author: "bot" }, "body"],
    ];
    for (const [body, field] of cases) {
      const error = await expectError(await agentMessage(id, body), 400, "VALIDATION_ERROR");
      expect(Object.keys(error.details.fields ?? {}), JSON.stringify(body).slice(0, 80)).toContain(field);
    }
    expect((await expectError(await agentMessage(id, { text: "Hello", agent_email: "owner@globex.test" }), 400, "VALIDATION_ERROR")).details.fields).toEqual({ agent_email: "Not a member of this workspace" });
    const count = await handle.db.select({ id: messages.id }).from(messages).where(and(eq(messages.tenantId, tenantA), eq(messages.conversationId, id), eq(messages.direction, "outbound")));
    expect(count.map((m) => m.id)).toHaveLength(1);
  });
});

describe("another workspace's API key", () => {
  it("gets 404 for this workspace's conversation on both endpoints, exactly as for a missing one, and changes nothing", async () => {
    const { id } = await waitingConversation();
    const before = await row(id);
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const target of [id, missing]) {
      expect((await expectError(await handoff(target, { action: "resolve" }, keyB), 404, "NOT_FOUND")).message).toBe("Conversation not found.");
      expect((await expectError(await handoff(target, { action: "release" }, keyB), 404, "NOT_FOUND")).message).toBe("Conversation not found.");
      expect((await expectError(await agentMessage(target, { text: "Hello from Globex", agent_email: "owner@globex.test" }, keyB), 404, "NOT_FOUND")).message).toBe("Conversation not found.");
    }
    expect(await row(id)).toEqual(before);
  });
});

describe("the OpenAPI document", () => {
  it("documents both endpoints with their request bodies, answers and the conflict", async () => {
    const doc = await (await openapi()).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v2/chat/conversations/{id}/handoff", "/api/v2/chat/conversations/{id}/agent-messages"]));
    const take = doc.paths["/api/v2/chat/conversations/{id}/handoff"]?.post;
    const reply = doc.paths["/api/v2/chat/conversations/{id}/agent-messages"]?.post;
    expect(take?.responses).toHaveProperty("200");
    expect(take?.responses).toHaveProperty("409");
    expect(reply?.responses).toHaveProperty("201");
    expect(reply?.responses).toHaveProperty("409");
    expect(doc.components.schemas.HandoffRequest.properties.action.enum).toEqual(["take", "release", "resolve"]);
    expect(reply?.description).toMatch(/queued/);
  });
});
