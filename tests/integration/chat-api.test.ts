import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { GET as getConversation } from "@/app/api/v2/chat/conversations/[id]/route";
import { GET as getHistory } from "@/app/api/v2/chat/conversations/[id]/history/route";
import { GET as search } from "@/app/api/v2/chat/messages/search/route";
import { GET as health } from "@/app/api/v2/health/route";
import { GET as openapi } from "@/app/api/v2/openapi.json/route";
import { eq, sql } from "drizzle-orm";
import { conversations, messages, type Plan } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { createRedisKv } from "@/server/cache/redis-kv";
import { successEnvelopeSchema } from "@/server/http/envelope";
import { healthSchema } from "@/server/http/health-schema";
import { conversationSchema, historyPageSchema, searchResultsSchema } from "@/server/pipeline/conversation-views";
import { chatResultSchema } from "@/server/pipeline/pipeline-result";
import { installDbHandle } from "@/server/db";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

const BASE = "http://localhost:3000";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let keyA: string;
let tenantA: string;
let keyB: string;

async function tenantWithKey(name: string, plan: Plan) {
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: name, email: `${name}-${Date.now()}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan });
  return { tenantId: tenant.id, key: (await createApiKey(handle.db, tenant.id, null)).key };
}

const send = (body: unknown, key = keyA, headers: Record<string, string> = {}) =>
  postMessage(new Request(`${BASE}/api/v2/chat/message`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) }));
const get = (handler: (req: Request) => Promise<Response>, path: string, key = keyA) => handler(new Request(`${BASE}${path}`, { headers: { authorization: `Bearer ${key}` } }));
const hello = (user_id: string, text = "Hello") => ({ user_id, channel: "web", content: { type: "text", text } });

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  ({ tenantId: tenantA, key: keyA } = await tenantWithKey("alpha", "starter"));
  ({ key: keyB } = await tenantWithKey("bravo", "enterprise"));
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("POST /api/v2/chat/message", () => {
  it("answers in the success envelope with the conversation state", async () => {
    const res = await send(hello("api-user-1"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "success", data: { response: { type: "text" }, conversation_state: { current_intent: "greeting" } }, meta: { request_id: expect.any(String), processing_time_ms: expect.any(Number) } });
    expect(body.data.response.text).toBe("Hello! Thanks for reaching out. How can I help you today?");
    expect(res.headers.get("x-request-id")).toBe(body.meta.request_id);
    // Exactly the shape the OpenAPI document publishes.
    successEnvelopeSchema(chatResultSchema).strict().parse(body);
  });

  it("rejects bad input with 400 VALIDATION_ERROR naming each field", async () => {
    const cases: [unknown, string][] = [
      ["{not json", "body"],
      [{ channel: "web", content: { type: "text", text: "hi" } }, "user_id"],
      [{ ...hello("u"), channel: "carrier-pigeon" }, "channel"],
      [{ ...hello("u"), content: { type: "hologram" } }, "content.type"],
      [{ ...hello("u"), content: { type: "text" } }, "content.text"],
      [{ ...hello("u"), content: { type: "image", url: "https://x.test/a.exe", mime_type: "application/x-msdownload", size_bytes: 10 } }, "content.mime_type"],
    ];
    for (const [body, field] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const json = await res.json();
      expect(json).toMatchObject({ status: "error", error: { code: "VALIDATION_ERROR" } });
      expect(Object.keys(json.error.details.fields)).toContain(field);
    }
  });

  it("requires a valid key and a matching X-Tenant-ID", async () => {
    expect((await send(hello("u"), "cbk_nope_nope")).status).toBe(401);
    const noAuth = await postMessage(new Request(`${BASE}/api/v2/chat/message`, { method: "POST", body: JSON.stringify(hello("u")) }));
    expect(noAuth.status).toBe(401);
    expect((await noAuth.json()).error.code).toBe("UNAUTHORIZED");
    const mismatch = await send(hello("u"), keyA, { "x-tenant-id": "00000000-0000-4000-8000-000000000000" });
    expect(mismatch.status).toBe(403);
    expect((await send(hello("u2"), keyA, { "x-tenant-id": tenantA })).status).toBe(200);
    expect((await send(hello("u2"), keyA, { "x-tenant-id": tenantA.toUpperCase() })).status).toBe(200);
  });

  it("takes images, files and locations into the conversation, and refuses oversized attachments", async () => {
    const user = "media-user";
    const image = await (await send({ user_id: user, channel: "whatsapp", content: { type: "image", url: "https://cdn.example.com/damage.jpg", mime_type: "image/jpeg", size_bytes: 48_000, caption: "my order arrived damaged" } })).json();
    const id = image.data.conversation_id;
    expect(image.data.conversation_state.slots.last_attachment).toMatchObject({ type: "image", url: "https://cdn.example.com/damage.jpg", size_bytes: 48_000 });
    const file = await (await send({ user_id: user, channel: "whatsapp", conversation_id: id, content: { type: "file", url: "https://cdn.example.com/invoice.pdf", mime_type: "application/pdf", size_bytes: 120_000, filename: "invoice.pdf" } })).json();
    expect(file.data.conversation_state.slots.last_attachment).toMatchObject({ type: "file", filename: "invoice.pdf" });
    const place = await (await send({ user_id: user, channel: "whatsapp", conversation_id: id, content: { type: "location", latitude: 52.52, longitude: 13.405, name: "Berlin store" } })).json();
    expect(place.data.conversation_state.slots.location).toEqual({ latitude: 52.52, longitude: 13.405, name: "Berlin store" });
    // The starter flow has no media states: each is acknowledged by the flow, not answered by the error fallback.
    for (const reply of [image, file, place]) expect(reply.data.response.text).toContain("Thanks for your message! I can pass this conversation to our team");

    const history = await (await get(getHistory, `/api/v2/chat/conversations/${id}/history?page_size=100`)).json();
    const inbound = history.data.messages.filter((m: { direction: string }) => m.direction === "inbound");
    expect(inbound.map((m: { content_type: string; text: string | null }) => [m.content_type, m.text])).toEqual([
      ["image", "my order arrived damaged"],
      ["file", null],
      ["location", "Berlin store"],
    ]);

    const huge = await send({ user_id: user, channel: "whatsapp", conversation_id: id, content: { type: "file", url: "https://cdn.example.com/big.pdf", mime_type: "application/pdf", size_bytes: 50 * 1024 * 1024, filename: "big.pdf" } });
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.details.fields["content.size_bytes"]).toMatch(/10 MB/);
  });

  it("continues a conversation only for its own user_id: another end user's id is a 404 that changes nothing", async () => {
    const mine = (await (await send(hello("owner-of-conv", "I need help with my order"))).json()).data.conversation_id;
    const [before] = await handle.db.select({ count: conversations.messageCount }).from(conversations).where(eq(conversations.id, mine));
    const theirs = await send({ ...hello("someone-else", "show me the order"), conversation_id: mine });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).error).toEqual({ code: "NOT_FOUND", message: "Conversation not found.", details: { field: "conversation_id" } });
    const [after] = await handle.db.select({ count: conversations.messageCount }).from(conversations).where(eq(conversations.id, mine));
    expect(after).toEqual(before);
    // Its own end user continues it, on another channel too.
    const again = await send({ ...hello("owner-of-conv", "Order number ORD777001"), channel: "whatsapp", conversation_id: mine });
    expect(again.status).toBe(200);
    expect((await again.json()).data.conversation_id).toBe(mine);
  });

  it("accepts an Idempotency-Key header as the message_id", async () => {
    const key = { "idempotency-key": "retry-safe-1" };
    const first = await send(hello("idem-user", "What are your opening hours?"), keyA, key);
    const again = await send(hello("idem-user", "What are your opening hours?"), keyA, key);
    expect(first.headers.get("x-idempotent-replay")).toBe("false");
    expect(again.headers.get("x-idempotent-replay")).toBe("true");
    const [a, b] = [await first.json(), await again.json()];
    expect(b.data).toEqual(a.data);
    expect(a.data.message_id).toBe("retry-safe-1");
    const clash = await send({ ...hello("idem-user"), message_id: "other-id" }, keyA, key);
    expect(clash.status).toBe(400);
    expect((await clash.json()).error.details.fields).toHaveProperty("message_id");
  });

  it("limits one end user to 30 messages a minute with rate-limit headers", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) last = await send(hello("chatty-user", `message ${i}`));
    expect(last!.status).toBe(429);
    expect(last!.headers.get("x-ratelimit-limit")).toBe("30");
    expect(last!.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe("RATE_LIMITED");
    // The refused message was rolled back: only the 30 admitted ones were stored, and the conversation agrees.
    const [stored] = await handle.db
      .select({ inbound: sql<number>`count(*) filter (where ${messages.direction} = 'inbound')::int`, recorded: sql<number>`max(${conversations.messageCount})` })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(conversations.endUserId, "chatty-user"));
    expect(stored).toEqual({ inbound: 30, recorded: 60 });
    expect((await send(hello("quiet-user"))).status).toBe(200);
  });

  it("caps a starter key per minute but not an enterprise key", async () => {
    const capped = await tenantWithKey("capped", "starter");
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) statuses.push((await get(search, "/api/v2/chat/messages/search?q=hello", capped.key)).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses[120]).toBe(429);
    for (let i = 0; i < 130; i++) {
      const res = await get(search, "/api/v2/chat/messages/search?q=hello", keyB);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });
});

describe("conversation reads", () => {
  it("returns a conversation with its messages, history pages and a tenant-scoped search", async () => {
    const first = await (await send(hello("reader", "Hello"), keyB)).json();
    const id = first.data.conversation_id;
    await send({ ...hello("reader", "Order number ORD123456"), channel: "whatsapp", conversation_id: id }, keyB);

    const conv = successEnvelopeSchema(conversationSchema).parse(await (await get(getConversation, `/api/v2/chat/conversations/${id}`, keyB)).json());
    expect(conv.data).toMatchObject({ conversation_id: id, summary: { primary_intent: "greeting", resolution_status: "in_progress" } });
    expect(conv.data.message_count).toBe(conv.data.messages.length);
    expect(conv.data.messages.map((m: { channel: string }) => m.channel)).toContain("whatsapp");

    const page1 = successEnvelopeSchema(historyPageSchema).parse(await (await get(getHistory, `/api/v2/chat/conversations/${id}/history?page=1&page_size=2`, keyB)).json());
    expect(page1.data).toMatchObject({ page: 1, page_size: 2, has_next: true, has_previous: false, total_messages: conv.data.message_count });
    expect(page1.data.messages).toHaveLength(2);

    expect((await get(getConversation, `/api/v2/chat/conversations/${id}`, keyA)).status).toBe(404);
    const badId = await get(getConversation, `/api/v2/chat/conversations/not-a-uuid`, keyB);
    expect(badId.status).toBe(400);
    expect((await badId.json()).error.details.fields).toEqual({ id: "Conversation ID must be a valid UUID" });

    const found = successEnvelopeSchema(searchResultsSchema).parse(await (await get(search, `/api/v2/chat/messages/search?q=ORD123456`, keyB)).json());
    expect(found.data.results.map((r: { conversation_id: string }) => r.conversation_id)).toContain(id);
    const injected = await get(search, `/api/v2/chat/messages/search?q=${encodeURIComponent("' OR 1=1; DROP TABLE messages; --")}`, keyB);
    expect(injected.status).toBe(200);
    const leak = await (await get(search, `/api/v2/chat/messages/search?q=ORD123456`, keyA)).json();
    expect(leak.data.results).toEqual([]);
  });
});

describe("service endpoints", () => {
  it("reports health of the database and cache", async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(healthSchema.parse(await res.json())).toMatchObject({ status: "healthy", databases: { postgres: { status: "up" }, redis: { status: "up" } } });
  });

  it("keeps answering end users while the cache is down, and reports itself degraded", async () => {
    // A real Redis client pointed at a port nothing listens on.
    const down = createRedisKv("redis://127.0.0.1:9");
    installKv(down);
    try {
      const res = await send(hello("during-outage", "What are your opening hours?"));
      expect(res.status).toBe(200);
      // The flow's own answer, not the error fallback: the outage costs only the rate limit.
      expect((await res.json()).data.response.text).toContain("Thanks for your message!");
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
      const degraded = await health();
      expect(degraded.status).toBe(503);
      expect(await degraded.json()).toMatchObject({ status: "degraded", databases: { postgres: { status: "up" }, redis: { status: "down" } } });
    } finally {
      installKv(kv);
      await down.close();
    }
  });

  it("publishes an OpenAPI document generated from the request and response schemas", async () => {
    const doc = await (await openapi()).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v2/chat/message", "/api/v2/chat/conversations/{id}/history"]));
    expect(doc.components.schemas.InboundMessage.required).toEqual(expect.arrayContaining(["user_id", "channel", "content"]));
    // Every documented success answer has a body schema, and every referenced schema exists.
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }>>)) {
      for (const op of Object.values(item)) {
        const ok = (op.responses["200"] ?? op.responses["201"])?.content?.["application/json"]?.schema.$ref;
        expect(ok, path).toMatch(/^#\/components\/schemas\//);
        expect(doc.components.schemas[ok!.split("/").at(-1)!], path).toBeDefined();
      }
    }
    expect(doc.components.schemas.ChatResult.properties.data.required).toEqual(expect.arrayContaining(["conversation_id", "response", "conversation_state", "processing_metadata"]));
    expect(doc.paths["/api/v2/chat/message"].post.responses["429"].headers).toHaveProperty("Retry-After");
  });
});
