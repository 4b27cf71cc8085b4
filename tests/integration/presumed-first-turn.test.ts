import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { conversations, messages } from "@/db/schema";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import type { IntegrationCaller, LlmGenerator } from "@/server/flows/engine";
import { createHttpIntegrationCaller } from "@/server/pipeline/http-integration-caller";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { processMessage, type PipelineDeps, type ProcessOptions } from "@/server/pipeline/process-message";
import { demoStoreTenant } from "../helpers/demo-store-tenant";
import { startFakeStoreApi } from "../helpers/fake-store-api";
import { createTestDb } from "../helpers/test-db";

/*
 * A new end user's first message may run on presumptions (no conversation yet, the live flow version this
 * process last started one on) and be stored in one round trip. Every presumption that does not hold must
 * give exactly the answer and the rows the long way gives, stored once, with nothing run twice.
 */

let handle: Awaited<ReturnType<typeof createTestDb>>;
let store: Awaited<ReturnType<typeof startFakeStoreApi>>;
let tenantId: string;
let definition: Awaited<ReturnType<typeof demoStoreTenant>>["definition"];
const integrationCalls: string[] = [];
const modelCalls: string[] = [];
let deps: PipelineDeps;

/** The database, noting each time a turn reaches for it. */
let touched = 0;
const watched = (db: Db) => new Proxy(db, { get: (target, prop, receiver) => (prop === "transaction" || prop === "execute" || prop === "$client" ? (touched++, Reflect.get(target, prop, receiver)) : Reflect.get(target, prop, receiver)) }) as Db;

beforeAll(async () => {
  handle = await createTestDb();
  store = await startFakeStoreApi();
  ({ tenantId, definition } = await demoStoreTenant(handle.db, store));
  const http = createHttpIntegrationCaller({ allowedHosts: [store.host] });
  const integrations: IntegrationCaller = { call: (req) => (integrationCalls.push(req.endpoint), http.call(req)) };
  const llm: LlmGenerator = { generate: async (req) => (modelCalls.push(req.prompt), { text: "Yes: every laptop has a two-year warranty.", model: "fake-model" }) };
  deps = { db: watched(handle.db), integrations, llmFor: async () => llm };
  // This process starts one conversation the long way, so it knows the live version.
  await first("warm-up", "Hello", {});
});
afterAll(async () => {
  await store.close();
  await handle.dispose();
});

const text = (userId: string, t: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ user_id: userId, message_id: `${userId}:${t}`, channel: "web", content: { type: "text", text: t }, ...extra });
const first = (userId: string, t: string, options: ProcessOptions = { presumeFirst: true }, extra: Partial<InboundMessage> = {}) => processMessage(deps, tenantId, text(userId, t, extra), options);

async function storedOf(userId: string) {
  const convs = await handle.db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, userId))).orderBy(asc(conversations.createdAt));
  const rows = await Promise.all(convs.map((c) => handle.db.select().from(messages).where(eq(messages.conversationId, c.id)).orderBy(asc(messages.sequence))));
  return convs.map((c, i) => ({ id: c.id, flowVersionId: c.flowVersionId, messageCount: c.messageCount, lastSequence: c.lastSequence, messages: rows[i]!.map((m) => ({ sequence: m.sequence, direction: m.direction, text: m.text })) }));
}

describe("a first message on presumptions", () => {
  it("runs a new visitor's turn before touching the database, and stores what the long way stores once the limit lets it through", async () => {
    let admit!: () => void;
    const admitted = new Promise<void>((resolve) => (admit = resolve));
    touched = 0;
    const presumed = first("new-visitor", "Hello", { presumeFirst: true, admitted: () => admitted });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The long way would have locked and read the conversation by now.
    expect(touched).toBe(0);
    admit();
    const answer = await presumed;
    const longWay = await first("long-way-visitor", "Hello", {});
    expect(answer.response.text).toBe(longWay.response.text);
    expect(answer.response.text).toContain("Welcome to Acme Store");
    expect(answer.conversation_state).toEqual(longWay.conversation_state);
    expect(answer.processing_metadata.flow_version_id).toBe(longWay.processing_metadata.flow_version_id);
    const [stored] = await storedOf("new-visitor");
    const [reference] = await storedOf("long-way-visitor");
    expect({ ...stored, id: undefined }).toEqual({ ...reference, id: undefined });
    expect(stored).toMatchObject({ id: answer.conversation_id, messageCount: 2, lastSequence: 2, messages: [{ sequence: 1, direction: "inbound", text: "Hello" }, { sequence: 2, direction: "outbound" }] });
  });

  it("stores nothing when the limit refuses the message it ran a turn for", async () => {
    const refused = Promise.reject(Object.assign(new Error("Slow down, please."), { code: "RATE_LIMITED" }));
    refused.catch(() => {});
    touched = 0;
    await expect(first("refused-visitor", "Hello", { presumeFirst: true, admitted: () => refused })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(touched).toBe(0);
    expect(await storedOf("refused-visitor")).toEqual([]);
  });

  it("greets a returning user as one, in a new conversation, though this process has never seen them", async () => {
    await first("returner", "Hello", {}, { channel_metadata: { user_name: "Ada" } });
    await handle.db.update(conversations).set({ status: "resolved" }).where(and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, "returner")));
    const again = await first("returner", "Hi there", { presumeFirst: true }, { channel_metadata: { user_name: "Ada" } });
    expect(again.response.text).toContain("Welcome back Ada!");
    const stored = await storedOf("returner");
    // The refused presumption stored nothing: two conversations, each with its own two messages.
    expect(stored.map((c) => c.messages.map((m) => m.sequence))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(stored[1]!.id).toBe(again.conversation_id);
  });

  it("continues the conversation another process started instead of opening a second one", async () => {
    const started = await first("other-process", "I'm looking for a laptop", {});
    const next = await first("other-process", "Under $1000, for programming");
    expect(next.conversation_id).toBe(started.conversation_id);
    expect(next.response.text).toContain("Shall I show you some options?");
    expect((await storedOf("other-process")).map((c) => c.messages.map((m) => m.sequence))).toEqual([[1, 2, 3, 4]]);
  });

  it("keeps simultaneous first messages of one new visitor in one conversation with gapless sequences", async () => {
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => first("double-clicker", `Hello (${i})`)));
    expect(new Set(results.map((r) => r.conversation_id)).size).toBe(1);
    const [stored, ...more] = await storedOf("double-clicker");
    expect(more).toEqual([]);
    expect(stored!.messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stored!.messages.filter((m) => m.direction === "inbound").map((m) => m.text).sort()).toEqual(["Hello (0)", "Hello (1)", "Hello (2)", "Hello (3)"]);
  });

  it("waits for the first turn of the same visitor still running the long way, then continues its conversation", async () => {
    let entered!: () => void;
    const calling = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const http = createHttpIntegrationCaller({ allowedHosts: [store.host] });
    const held: PipelineDeps = { ...deps, integrations: { call: async (req) => (entered(), await gate, http.call(req)) } };
    // The long way holds the visitor's first-turn lock and its open transaction while the integration answers.
    const longWay = processMessage(held, tenantId, text("racer", "Where is my order ORD123456?"), {});
    await calling;
    const presumed = first("racer", "Hello");
    // Time for the presumed turn to run and send its write, which then waits for the lock.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    const [order, hello] = await Promise.all([longWay, presumed]);
    expect(order.response.text).toContain("Order ORD123456 is currently");
    expect(hello.conversation_id).toBe(order.conversation_id);
    const stored = await storedOf("racer");
    expect(stored.map((c) => c.messages.map((m) => m.sequence))).toEqual([[1, 2, 3, 4]]);
    expect(stored[0]!.messages.filter((m) => m.direction === "inbound").map((m) => m.text)).toEqual(["Where is my order ORD123456?", "Hello"]);
  });

  it("answers a redelivered first message with its first answer and stores it once", async () => {
    const once = await first("redeliverer", "Hello");
    const twice = await first("redeliverer", "Hello");
    expect(twice).toMatchObject({ duplicate: true, conversation_id: once.conversation_id, response: once.response });
    expect((await storedOf("redeliverer")).map((c) => c.messages.length)).toEqual([2]);
  });

  it("calls an integration or a model exactly once: such a turn is never run on a presumption", async () => {
    integrationCalls.length = 0;
    const order = await first("order-asker", "Where is my order ORD123456?");
    expect(order.response.text).toContain("Order ORD123456 is currently");
    expect(integrationCalls).toEqual([expect.stringContaining("/orders/ORD123456")]);
    modelCalls.length = 0;
    const question = await first("warranty-asker", "do you offer a warranty on laptops?");
    expect(question.response.text).toBe("Yes: every laptop has a two-year warranty.");
    expect(modelCalls).toHaveLength(1);
  });

  it("starts a new visitor on the version published since, not the one this process presumed", async () => {
    const greet = definition.states.greet as { config: { response_templates: Record<string, string> } };
    const changed = structuredClone(definition);
    (changed.states.greet as typeof greet).config.response_templates = { ...greet.config.response_templates, default: "Hi! This is the new Acme Store bot." };
    const newer = await createFlow(handle.db, tenantId, null, { name: "demo, new greeting", definition: changed });
    const version = await publishFlow(handle.db, tenantId, null, newer.id);
    for (const visitor of ["after-publish-1", "after-publish-2"]) {
      const answer = await first(visitor, "Hello");
      expect(answer.response.text).toBe("Hi! This is the new Acme Store bot.");
      expect(answer.processing_metadata.flow_version_id).toBe(version.id);
      expect((await storedOf(visitor)).map((c) => [c.flowVersionId, c.messages.length])).toEqual([[version.id, 2]]);
    }
  });
});
