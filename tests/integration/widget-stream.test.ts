import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as plainRoute } from "@/app/api/widget/[key]/messages/route";
import { messages, modelCalls } from "@/db/schema";
import { installKv } from "@/server/cache";
import { upsertChannel } from "@/server/channels/channel-service";
import { widgetReplySchema } from "@/server/channels/web-widget";
import { installDbHandle } from "@/server/db";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { StreamInterruptedError, type LlmGenerator, type LlmRequest, type ModelCallRecord } from "@/server/flows/ports";
import { hashPassword } from "@/server/auth/passwords";
import { CLIENT_ADDRESS_HEADER } from "@/server/http/client-address.mjs";
import { errorEnvelopeSchema, successEnvelopeSchema } from "@/server/http/envelope";
import { widgetMessages } from "@/server/http/widget-messages";
import { widgetRoute } from "@/server/http/widget-route";
import { resetEnvForTests } from "@/server/env";
import { setProviderConnection } from "@/server/models/model-connections";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { startFakeLlmServer, type FakeLlmServer } from "../helpers/fake-llm-server";
import { sseEvents, type SseEvent } from "../helpers/sse-reader";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { freshAddress, SITE, visitorToken } from "../security/support/widget-site";

const FLOW = {
  name: "streamed-faq",
  version: "1.0",
  initial_state: "intro",
  states: {
    intro: { type: "response", config: { response_templates: { default: "Let me look that up." } }, transitions: [{ condition: "fallback", target_state: "answer" }] },
    answer: { type: "llm", config: { system_prompt: "You answer for a shop.", fallback_template: "I can't answer that right now." }, transitions: [{ condition: "any_input", target_state: "answer" }] },
  },
};

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let key: string;
let tenantId: string;
/** What the tenant's model does on the next call; the route below is the real one with this model injected. */
let model: LlmGenerator["generate"];
const streamedRoute = widgetRoute(widgetMessages(() => ({ db: handle.db, llmFor: async () => ({ generate: (req) => model(req) }) })));
const address = freshAddress();

/** A shop whose widget runs FLOW on SITE. */
async function openShop(name: string) {
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: name, email: `stream-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
  const flow = await createFlow(handle.db, tenant.id, null, { name: "streamed-faq", definition: FLOW });
  await publishFlow(handle.db, tenant.id, null, flow.id);
  const channel = await upsertChannel(handle.db, tenant.id, null, { type: "web", enabled: true, settings: { allowed_origins: [SITE] }, secrets: {} });
  return { tenantId: tenant.id, key: channel.publicKey! };
}

let provider: FakeLlmServer;
let routed: { tenantId: string; key: string };

beforeAll(async () => {
  provider = await startFakeLlmServer();
  // The tenant's model base URL is on loopback, which the SSRF guard admits only when allowed.
  process.env.OUTBOUND_ALLOWED_HOSTS = provider.host;
  resetEnvForTests();
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  ({ tenantId, key } = await openShop("Stream Shop"));
  routed = await openShop("Routed Shop");
  await setProviderConnection(handle.db, routed.tenantId, { provider: "openai", apiKey: "sk-stream-test-key", baseUrl: provider.baseUrl, models: ["gpt-4o-mini"] });
});
afterAll(async () => {
  delete process.env.OUTBOUND_ALLOWED_HOSTS;
  resetEnvForTests();
  await provider.close();
  await kv.close();
  await handle.dispose();
});

/** Posts `body` as the visitor named by its `visitor_id`, sent as that visitor's token (the body never names the visitor). */
async function post(route: typeof plainRoute, { visitor_id, ...body }: Record<string, unknown>, accept?: string, widgetKey = key): Promise<Response> {
  const token = await visitorToken(widgetKey, { visitorId: String(visitor_id) });
  const headers = { "content-type": "application/json", origin: SITE, authorization: `Bearer ${token}`, [CLIENT_ADDRESS_HEADER]: address, ...(accept && { accept }) };
  const req = new Request(`http://localhost:3000/api/widget/${widgetKey}/messages`, { method: "POST", headers, body: JSON.stringify(body) });
  return route(req, { params: Promise.resolve({ key: widgetKey }) });
}

const visitor = () => `visitor-${randomUUID()}`;
const gate = () => {
  let open!: () => void;
  return { opened: new Promise<void>((r) => (open = r)), open: () => open() };
};

const cutCall: ModelCallRecord = {
  status: "stream_interrupted",
  provider: "openai",
  model: "gpt-test",
  fallback_applied: false,
  attempts: [{ provider: "openai", model: "gpt-test", error_class: "stream_cut", http_status: 200, latency_ms: 4 }],
  input_tokens: 10,
  output_tokens: 2,
  cost_cents: 0,
  latency_ms: 4,
  ttft_ms: 1,
  price_table_version: "2026-01-01",
};

async function storedReplies(conversationId: string, tenant = tenantId): Promise<(string | null)[]> {
  const rows = await handle.db
    .select({ text: messages.text })
    .from(messages)
    .where(and(eq(messages.tenantId, tenant), eq(messages.conversationId, conversationId), eq(messages.direction, "outbound")))
    .orderBy(asc(messages.sequence));
  return rows.map((r) => r.text);
}

const doneReply = (e: SseEvent) => successEnvelopeSchema(widgetReplySchema).parse(e.data).data;

describe("POST /api/widget/{key}/messages with Accept: text/event-stream", () => {
  it("sends each token as its own event while the model is still writing, and `done` once the turn is stored", async () => {
    const halfway = gate();
    model = async (req: LlmRequest) => {
      req.on_token?.("We ship ");
      // The rest waits until the visitor has seen the first words: nothing is held back until the end.
      await halfway.opened;
      req.on_token?.("worldwide.");
      return { text: "We ship worldwide.", model: "openai:gpt-test" };
    };
    const res = await post(streamedRoute, { visitor_id: visitor(), message_id: randomUUID(), text: "Do you ship abroad?" }, "text/event-stream");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    const events = sseEvents(res.body!);
    expect(await events.next()).toEqual({ event: "message", data: { index: 0, message: { type: "text", text: "Let me look that up." } } });
    expect(await events.next()).toEqual({ event: "token", data: { index: 1, delta: "We ship " } });
    halfway.open();
    const rest = await events.rest();
    expect(rest.map((e) => e.event)).toEqual(["token", "message", "done"]);
    expect(rest[0]!.data).toEqual({ index: 1, delta: "worldwide." });
    const reply = doneReply(rest[2]!);
    expect(reply.messages.map((m) => m.text)).toEqual(["Let me look that up.", "We ship worldwide."]);
    expect(await storedReplies(reply.conversation_id)).toEqual(["Let me look that up.", "We ship worldwide."]);
  });

  it("ends a stream cut after its first token with a plain `error`, then `done` with the reply marked as cut off", async () => {
    model = async (req) => {
      req.on_token?.("Refunds take five");
      throw new StreamInterruptedError(cutCall, "Refunds take five");
    };
    const res = await post(streamedRoute, { visitor_id: visitor(), text: "How long do refunds take?" }, "text/event-stream");
    const events = await sseEvents(res.body!).rest();
    expect(events.map((e) => e.event)).toEqual(["message", "token", "error", "message", "done"]);
    expect(events[2]!.data).toEqual({ index: 1, code: "MODEL_STREAM_INTERRUPTED", message: "The answer was cut off. Please ask again." });
    const cut = "Refunds take five … [The answer was cut off here.]";
    const reply = doneReply(events[4]!);
    expect(reply.messages.map((m) => m.text)).toEqual(["Let me look that up.", cut]);
    expect(await storedReplies(reply.conversation_id)).toEqual(["Let me look that up.", cut]);
  });

  it("answers a redelivered message from the stored turn as events, without running the model again", async () => {
    let calls = 0;
    model = async () => {
      calls++;
      return { text: "Open 9 to 5.", model: "openai:gpt-test" };
    };
    const body = { visitor_id: visitor(), message_id: randomUUID(), text: "When are you open?" };
    const first = doneReply((await sseEvents((await post(streamedRoute, body, "text/event-stream")).body!).rest()).at(-1)!);
    const again = await sseEvents((await post(streamedRoute, body, "text/event-stream")).body!).rest();
    expect(again.map((e) => e.event)).toEqual(["message", "message", "done"]);
    expect(doneReply(again[2]!)).toEqual(first);
    expect(calls).toBe(1);
  });

  it("refuses with the ordinary error envelope when the turn fails before saying anything", async () => {
    const res = await post(streamedRoute, { visitor_id: visitor(), conversation_id: randomUUID(), text: "hello again" }, "text/event-stream");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(errorEnvelopeSchema.parse(await res.json()).error).toMatchObject({ code: "NOT_FOUND", details: { field: "conversation_id" } });
    // The same checks run before any stream opens: a bad message is refused in words, as JSON.
    const invalid = await post(streamedRoute, { visitor_id: visitor(), text: "" }, "text/event-stream");
    expect(invalid.status).toBe(400);
    expect(errorEnvelopeSchema.parse(await invalid.json()).error.message).toMatch(/Message/);
  });
});

describe("POST /api/widget/{key}/messages without the event-stream Accept header", () => {
  it("answers with the JSON envelope as before, through the same route", async () => {
    const res = await post(plainRoute, { visitor_id: visitor(), text: "Do you ship abroad?" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    // No model is connected for this tenant in production wiring: the state answers with its template.
    expect(successEnvelopeSchema(widgetReplySchema).parse(await res.json()).data.messages.map((m) => m.text)).toEqual(["Let me look that up.", "I can't answer that right now."]);
  });
});

describe("the widget's stream through the tenant's connected model (production wiring: router, SSRF-guarded fetch)", () => {
  it("relays the provider's streamed pieces as token events, and ends a stream the provider cut with an error", async () => {
    provider.script("openai", { kind: "text", text: "Tents ship in two days.", chunks: 3, chunk_delay_ms: 20 });
    const whole = await sseEvents((await post(plainRoute, { visitor_id: visitor(), text: "When do tents ship?" }, "text/event-stream", routed.key)).body!).rest();
    expect(whole.filter((e) => e.event === "token").map((e) => (e.data as { delta: string }).delta)).toEqual(["Tents ship ", "in two ", "days."]);
    expect(whole.slice(-2).map((e) => e.event)).toEqual(["message", "done"]);
    expect(doneReply(whole.at(-1)!).messages.map((m) => m.text)).toEqual(["Let me look that up.", "Tents ship in two days."]);

    // "Refunds take " reaches the visitor, then the connection drops: no fallback may pretend to be the answer.
    provider.script("openai", { kind: "cut_after", chunks: 1, text: "Refunds take five days.", chunk_delay_ms: 20 });
    const cut = await sseEvents((await post(plainRoute, { visitor_id: visitor(), text: "How long do refunds take?" }, "text/event-stream", routed.key)).body!).rest();
    expect(cut.map((e) => e.event)).toEqual(["message", "token", "error", "message", "done"]);
    expect(cut[2]!.data).toMatchObject({ code: "MODEL_STREAM_INTERRUPTED", message: "The answer was cut off. Please ask again." });
    const reply = doneReply(cut.at(-1)!);
    expect(reply.messages.at(-1)!.text).toBe("Refunds take … [The answer was cut off here.]");
    expect(await storedReplies(reply.conversation_id, routed.tenantId)).toEqual(["Let me look that up.", "Refunds take … [The answer was cut off here.]"]);
    const [record] = await handle.db.select({ status: modelCalls.status }).from(modelCalls).where(and(eq(modelCalls.tenantId, routed.tenantId), eq(modelCalls.conversationId, reply.conversation_id)));
    expect(record?.status).toBe("stream_interrupted");
  });
});
