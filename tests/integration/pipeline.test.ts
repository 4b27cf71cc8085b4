import { and, asc, eq, sql } from "drizzle-orm";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { conversations, messages, usageCounters } from "@/db/schema";
import type { IntegrationCaller } from "@/server/flows/engine";
import { clearFlowRuntimeCache } from "@/server/pipeline/flow-runtime";
import { createHttpIntegrationCaller } from "@/server/pipeline/http-integration-caller";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { FALLBACK_TEXT, processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { demoStoreTenant } from "../helpers/demo-store-tenant";
import { startFakeStoreApi } from "../helpers/fake-store-api";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let store: Awaited<ReturnType<typeof startFakeStoreApi>>;
let deps: PipelineDeps;
let tenantId: string;

beforeAll(async () => {
  handle = await createTestDb();
  store = await startFakeStoreApi();
  ({ tenantId } = await demoStoreTenant(handle.db, store));
  deps = { db: handle.db, integrations: createHttpIntegrationCaller({ allowedHosts: [store.host] }) };
});
afterAll(async () => {
  await store.close();
  await handle.dispose();
});

async function messagesUsage(): Promise<number> {
  const [row] = await handle.db.select({ total: sql<string>`coalesce(sum(${usageCounters.value}), 0)` }).from(usageCounters).where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metric, "messages")));
  return Number(row?.total ?? 0);
}

const text = (t: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ user_id: "visitor-1", channel: "web", content: { type: "text", text: t }, ...extra });

describe("message pipeline on the demo flow", () => {
  it("walks a product search from greeting to a carousel of matching products", async () => {
    const hello = await processMessage(deps, tenantId, text("Hello", { user_id: "shopper" }));
    expect(hello.response.text).toContain("Welcome to Acme Store");
    const conversation_id = hello.conversation_id;

    const laptop = await processMessage(deps, tenantId, text("I'm looking for a laptop", { user_id: "shopper", conversation_id }));
    expect(laptop.conversation_state.current_intent).toBe("product_search");
    expect(laptop.conversation_state.entities).toMatchObject({ product: "laptop" });

    const needs = await processMessage(deps, tenantId, text("Under $1000, for programming", { user_id: "shopper", conversation_id }));
    expect(needs.conversation_state.slots).toMatchObject({ product: "laptop", budget: 1000, use_case: "programming" });
    expect(needs.conversation_state.missing_required_slots).toEqual([]);

    const options = await processMessage(deps, tenantId, text("Show me some options", { user_id: "shopper", conversation_id }));
    expect(options.response.type).toBe("carousel");
    expect(options.response.items?.map((i) => i.title)).toEqual(["CodeStation Air 13", "DevBook Pro 14"]);
    expect(store.requests.some((r) => r.includes("/catalog/search") && r.includes("max_price=1000"))).toBe(true);

    const stored = await handle.db.select().from(messages).where(eq(messages.conversationId, conversation_id)).orderBy(asc(messages.sequence));
    expect(stored.map((m) => m.sequence)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.filter((m) => m.direction === "inbound").map((m) => m.text)).toEqual(["Hello", "I'm looking for a laptop", "Under $1000, for programming", "Show me some options"]);
    expect(stored.find((m) => m.direction === "outbound")?.metadata).toMatchObject({ delivery_status: "delivered", model_used: null });
  });

  it("continues one conversation across web and WhatsApp and keeps the order number", async () => {
    const web = await processMessage(deps, tenantId, text("I need help with my order", { user_id: "web-visitor-9" }));
    expect(web.response.text).toContain("order number");
    // As in the API contract: the same end user, with the platform's own id in channel_metadata.
    const wa = await processMessage(deps, tenantId, {
      user_id: "web-visitor-9",
      channel: "whatsapp",
      conversation_id: web.conversation_id,
      content: { type: "text", text: "Order number ORD123456" },
      channel_metadata: { platform_user_id: "+15551234567" },
    });
    expect(wa.conversation_id).toBe(web.conversation_id);
    expect(wa.conversation_state.slots).toMatchObject({ order_number: "ORD123456" });
    expect(wa.response.text).toContain("ORD123456");
    const channels = await handle.db.select({ channel: messages.channel }).from(messages).where(eq(messages.conversationId, web.conversation_id));
    expect(new Set(channels.map((c) => c.channel))).toEqual(new Set(["web", "whatsapp"]));
  });

  it("keeps a half-finished order after a restart", async () => {
    const first = await processMessage(deps, tenantId, text("I want to order a pizza", { user_id: "hungry" }));
    expect(first.response.text.toLowerCase()).toContain("size");
    clearFlowRuntimeCache();
    const restarted: PipelineDeps = { db: handle.db, integrations: deps.integrations };
    const second = await processMessage(restarted, tenantId, text("Large pepperoni please", { user_id: "hungry", conversation_id: first.conversation_id }));
    expect(second.conversation_state.slots).toMatchObject({ menu_item: "pizza", size: "large", topping: "pepperoni" });
    expect(second.response.text).toContain("large pepperoni pizza");
  });

  it("never replays a stored answer that does not parse as one: the redelivery fails instead of answering garbage", async () => {
    const msg = text("What are your opening hours?", { user_id: "tampered-user", message_id: "wamid-tampered" });
    await processMessage(deps, tenantId, msg);
    await handle.db.execute(sql`update messages set metadata = jsonb_set(metadata, '{result}', '{"response": "not an answer"}') where external_id = 'wamid-tampered'`);
    await expect(processMessage(deps, tenantId, msg)).rejects.toThrow(/invalid/i);
  });

  it("answers a redelivered message_id with the first answer and stores nothing twice", async () => {
    const msg = text("What are your opening hours?", { user_id: "dup-user", message_id: "wamid-123" });
    const first = await processMessage(deps, tenantId, msg);
    const again = await processMessage(deps, tenantId, msg);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.response).toEqual(first.response);
    expect(again.conversation_id).toBe(first.conversation_id);
    const stored = await handle.db.select().from(messages).where(eq(messages.conversationId, first.conversation_id));
    expect(stored.filter((m) => m.direction === "inbound")).toHaveLength(1);
  });

  it("answers two simultaneous deliveries of one message_id once", async () => {
    const msg = text("I'm looking for a laptop", { user_id: "twin-delivery", message_id: "wamid-twin" });
    const [a, b] = await Promise.all([processMessage(deps, tenantId, msg), processMessage(deps, tenantId, msg)]);
    expect([a!.duplicate, b!.duplicate].sort()).toEqual([false, true]);
    expect(b!.response).toEqual(a!.response);
    const stored = await handle.db.select().from(messages).where(eq(messages.conversationId, a!.conversation_id));
    expect(stored.filter((m) => m.direction === "inbound")).toHaveLength(1);
  });

  it("refuses another end user's reuse of a message_id instead of replaying someone else's answer", async () => {
    const mine = await processMessage(deps, tenantId, text("My order ORD123456 never arrived", { user_id: "owner", message_id: "client-1" }));
    const theirs = processMessage(deps, tenantId, text("Hello", { user_id: "someone-else", message_id: "client-1" }));
    await expect(theirs).rejects.toMatchObject({ code: "CONFLICT", details: { field: "message_id" } });
    // Continuing a conversation does not bypass the check either.
    const sneaky = processMessage(deps, tenantId, text("Hello", { user_id: "someone-else", message_id: "client-1", conversation_id: mine.conversation_id }));
    await expect(sneaky).rejects.toMatchObject({ code: "CONFLICT" });
    const stored = await handle.db.select().from(messages).where(eq(messages.conversationId, mine.conversation_id));
    expect(stored.filter((m) => m.direction === "inbound").map((m) => m.text)).toEqual(["My order ORD123456 never arrived"]);
  });

  it("processes 10 concurrent messages to one conversation one at a time with gapless sequences", async () => {
    const opening = await processMessage(deps, tenantId, text("Hi", { user_id: "burst" }));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => processMessage(deps, tenantId, text(`What time do you open? (${i})`, { user_id: "burst", conversation_id: opening.conversation_id, message_id: `burst-${i}` }))),
    );
    expect(results.map((r) => r.conversation_id)).toEqual(results.map(() => opening.conversation_id));
    // Each turn, run in its turn, is understood: the hours, not a fallback from a lost or interleaved state.
    for (const r of results) expect(r.response.text).toContain("Monday to Friday 9am-8pm");
    const rows = await handle.db.select().from(messages).where(eq(messages.conversationId, opening.conversation_id)).orderBy(asc(messages.sequence));
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
    // Every inbound message is immediately followed by its own replies: turns never interleave.
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]!.direction === "outbound") expect(rows.slice(0, i).reverse().find((r) => r.direction === "inbound")?.id).toBe(rows[i]!.replyTo);
    }
    const [conv] = await handle.db.select().from(conversations).where(eq(conversations.id, opening.conversation_id));
    expect(conv?.messageCount).toBe(rows.length);
  });

  it("keeps simultaneous first messages from one visitor in one conversation, and counts every message once", async () => {
    const before = await messagesUsage();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => processMessage(deps, tenantId, text(`Hello (${i})`, { user_id: "double-clicker", message_id: `dc-${i}` }))));
    expect(new Set(results.map((r) => r.conversation_id)).size).toBe(1);
    const rows = await handle.db.select().from(messages).where(eq(messages.conversationId, results[0]!.conversation_id)).orderBy(asc(messages.sequence));
    expect(rows.filter((r) => r.direction === "inbound").map((r) => r.externalId).sort()).toEqual(results.map((_, i) => `dc-${i}`).sort());
    expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
    // Usage is spread over shards; the day's total is their sum.
    expect((await messagesUsage()) - before).toBe(rows.length);
  });
  it("serves 10 concurrent first messages from different visitors as 10 conversations", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => processMessage(deps, tenantId, text("Hello", { user_id: `crowd-${i}` }))));
    expect(new Set(results.map((r) => r.conversation_id)).size).toBe(10);
    expect(results.every((r) => r.response.text.includes("Welcome"))).toBe(true);
  });

  it("answers with a polite fallback when an integration hangs past the turn timeout", async () => {
    let abandoned: AbortSignal | undefined;
    const hanging: IntegrationCaller = {
      call: (req) => {
        abandoned = req.signal;
        return new Promise(() => {});
      },
    };
    const slow: PipelineDeps = { db: handle.db, integrations: hanging, turnTimeoutMs: 300 };
    const start = await processMessage(slow, tenantId, text("Track my order", { user_id: "stuck" }));
    const stuck = await processMessage(slow, tenantId, text("ORD555555", { user_id: "stuck", conversation_id: start.conversation_id }));
    expect(stuck.response.text).toBe(FALLBACK_TEXT);
    expect(stuck.processing_metadata.error).toContain("300 ms");
    // The abandoned call was told to stop, so a retry does not run it a second time alongside.
    expect(abandoned?.aborted).toBe(true);
    // The state did not advance, so the visitor can simply try again.
    expect(stuck.conversation_state.current_state).toBe(start.conversation_state.current_state);
    const retry = await processMessage(deps, tenantId, text("ORD555555", { user_id: "stuck", conversation_id: start.conversation_id }));
    expect(retry.response.text).toContain("ORD555555");
  });

  it("answers from the flow's templates when the tenant's model cannot be loaded", async () => {
    const broken: PipelineDeps = { ...deps, llmFor: async () => Promise.reject(new Error("cannot decrypt provider key")) };
    const result = await processMessage(broken, tenantId, text("do you offer a warranty on laptops?", { user_id: "model-outage" }));
    expect(result.response.text).toMatch(/^Good question!/);
    expect(result.processing_metadata.model_used).toBeNull();
  });

  it("tells the API caller a turn failed without the internal error's text, which only the server log gets", async () => {
    const broken: PipelineDeps = { db: handle.db, integrations: { call: async () => null as never } };
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const start = await processMessage(broken, tenantId, text("Track my order", { user_id: "broken-caller" }));
      const failed = await processMessage(broken, tenantId, text("ORD555556", { user_id: "broken-caller", conversation_id: start.conversation_id, message_id: "broken-1" }));
      expect(failed.response.text).toBe(FALLBACK_TEXT);
      expect(failed.processing_metadata.error).toBe("The turn failed; the server log has the cause under message broken-1.");
      expect(String(logged.mock.calls[0]?.[0])).toContain("broken-1");
      expect(String(logged.mock.calls[0]?.[1])).toMatch(/TypeError/);
    } finally {
      logged.mockRestore();
    }
  });

  it("bounds a real integration call by its timeout, and drops the connection when the turn abandons it", async () => {
    const closed: string[] = [];
    const silent = createServer((req) => req.socket.on("close", () => closed.push(req.url ?? "")));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const caller = createHttpIntegrationCaller({ allowedHosts: [host] });
    try {
      const started = performance.now();
      const late = await caller.call({ integration_id: "slow", endpoint: `http://${host}/timeout`, method: "GET", timeout_ms: 200 });
      expect(late).toEqual({ ok: false, error: "Timed out after 200 ms" });
      expect(performance.now() - started).toBeLessThan(1500);

      const turn = new AbortController();
      const call = caller.call({ integration_id: "slow", endpoint: `http://${host}/abandoned`, method: "POST", body: { order: 1 }, timeout_ms: 5000, signal: turn.signal });
      setTimeout(() => turn.abort(new Error("turn abandoned")), 50);
      expect(await call).toMatchObject({ ok: false });
      await vi.waitFor(() => expect(closed).toEqual(expect.arrayContaining(["/timeout", "/abandoned"])));
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("refuses a conversation id from another tenant", async () => {
    const { tenant: other } = await createTenantWithOwner(handle.db, { companyName: "Other", email: "o@other.test", passwordHash: "x", verified: true });
    const mine = await processMessage(deps, tenantId, text("Hello", { user_id: "private" }));
    await expect(processMessage(deps, other.id, text("let me in", { conversation_id: mine.conversation_id }))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rows = await handle.db.select().from(messages).where(and(eq(messages.conversationId, mine.conversation_id), eq(messages.tenantId, other.id)));
    expect(rows).toHaveLength(0);
  });
});
