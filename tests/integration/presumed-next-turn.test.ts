import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { conversations, messages } from "@/db/schema";
import { createHttpIntegrationCaller } from "@/server/pipeline/http-integration-caller";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { processMessage, type PipelineDeps } from "@/server/pipeline/process-message";
import { demoStoreTenant } from "../helpers/demo-store-tenant";
import { startFakeStoreApi } from "../helpers/fake-store-api";
import { createTestDb } from "../helpers/test-db";

/*
 * The next message of a conversation this process left may run on the presumption that nothing else wrote to
 * the conversation since, and be stored in one statement. Whatever else happened meanwhile (another process's
 * turn, a person taking over, a redelivery, a concurrent message), the answer and the rows must be the ones
 * the long way gives, stored once, in order.
 */

let handle: Awaited<ReturnType<typeof createTestDb>>;
let store: Awaited<ReturnType<typeof startFakeStoreApi>>;
let tenantId: string;
let deps: PipelineDeps;
/** Another app process: the same code with its own memory (a fresh module instance), on the same database. */
let otherProcess: typeof processMessage;

/** How often a turn opened a transaction: the long way does, a presumed turn does not. */
let transactions = 0;
const watched = (db: Db) => new Proxy(db, { get: (target, prop, receiver) => (prop === "transaction" || prop === "$client" ? (transactions++, Reflect.get(target, prop, receiver)) : Reflect.get(target, prop, receiver)) }) as Db;

beforeAll(async () => {
  handle = await createTestDb();
  store = await startFakeStoreApi();
  ({ tenantId } = await demoStoreTenant(handle.db, store));
  deps = { db: watched(handle.db), integrations: createHttpIntegrationCaller({ allowedHosts: [store.host] }) };
  vi.resetModules();
  ({ processMessage: otherProcess } = await import("@/server/pipeline/process-message"));
});
afterAll(async () => {
  await store.close();
  await handle.dispose();
});

const text = (userId: string, t: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ user_id: userId, message_id: `${userId}:${t}`, channel: "whatsapp", content: { type: "text", text: t }, ...extra });
const say = (userId: string, t: string, extra: Partial<InboundMessage> = {}) => processMessage(deps, tenantId, text(userId, t, extra));

async function storedOf(userId: string) {
  const convs = await handle.db.select().from(conversations).where(and(eq(conversations.tenantId, tenantId), eq(conversations.endUserId, userId))).orderBy(asc(conversations.createdAt));
  const rows = await Promise.all(convs.map((c) => handle.db.select().from(messages).where(eq(messages.conversationId, c.id)).orderBy(asc(messages.sequence))));
  return convs.map((c, i) => ({ id: c.id, status: c.status, state: c.state, messageCount: c.messageCount, lastSequence: c.lastSequence, messages: rows[i]!.map((m) => ({ sequence: m.sequence, direction: m.direction, text: m.text })) }));
}

/** What another writer of the conversation does to its row: every change bumps updated_at. */
const touchConversation = (userId: string, set = sql``) =>
  handle.db.execute(sql`update conversations set ${set} updated_at = updated_at + interval '1 second' where tenant_id = ${tenantId}::uuid and end_user_id = ${userId}`);

describe("the next message of a conversation this process left", () => {
  it("is stored without a transaction, exactly as the long way stores it", async () => {
    await say("presumed", "I'm looking for a laptop");
    await say("long-way", "I'm looking for a laptop");
    await touchConversation("long-way");
    transactions = 0;
    const presumed = await say("presumed", "Under $1000, for programming");
    expect(transactions).toBe(0);
    const longWay = await say("long-way", "Under $1000, for programming");
    expect(transactions).toBeGreaterThan(0);
    expect(presumed.response.text).toContain("Shall I show you some options?");
    expect(presumed.response.text).toBe(longWay.response.text);
    expect(presumed.conversation_state).toEqual(longWay.conversation_state);
    const [a] = await storedOf("presumed");
    const [b] = await storedOf("long-way");
    expect({ ...a, id: undefined }).toEqual({ ...b, id: undefined });
    expect(a).toMatchObject({ id: presumed.conversation_id, messageCount: 4, lastSequence: 4 });
    expect(a!.messages.map((m) => [m.sequence, m.direction])).toEqual([[1, "inbound"], [2, "outbound"], [3, "inbound"], [4, "outbound"]]);
  });

  it("continues after a turn another process stored meanwhile, from that turn's state", async () => {
    await say("two-processes", "I'm looking for a laptop");
    const elsewhere = await otherProcess(deps, tenantId, text("two-processes", "Under $1000, for programming"));
    expect(elsewhere.response.text).toContain("Shall I show you some options?");
    const options = await say("two-processes", "Show me some options");
    expect(options.conversation_id).toBe(elsewhere.conversation_id);
    expect(options.response.type).toBe("carousel");
    expect(options.response.items?.map((i) => i.title)).toEqual(["CodeStation Air 13", "DevBook Pro 14"]);
    const [stored, ...more] = await storedOf("two-processes");
    expect(more).toEqual([]);
    expect(stored!.messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("lets the person who took the conversation meanwhile hear the visitor instead of the bot", async () => {
    await say("taken", "Hello");
    await touchConversation("taken", sql`status = 'with_agent',`);
    const heard = await say("taken", "Are you still there?");
    expect(heard.response.messages).toEqual([]);
    const [stored] = await storedOf("taken");
    expect(stored!.status).toBe("with_agent");
    expect(stored!.messages.map((m) => [m.sequence, m.direction, m.text?.slice(0, 20)])).toEqual([[1, "inbound", "Hello"], [2, "outbound", expect.any(String)], [3, "inbound", "Are you still there?"]]);
  });

  it("answers a redelivered message with its first answer and stores it once", async () => {
    await say("redeliverer", "I'm looking for a laptop");
    const once = await say("redeliverer", "Under $1000, for programming");
    const twice = await say("redeliverer", "Under $1000, for programming");
    expect(twice).toMatchObject({ duplicate: true, conversation_id: once.conversation_id, response: once.response });
    expect((await storedOf("redeliverer")).map((c) => c.messages.length)).toEqual([4]);
  });

  it("stores two messages sent at once one after the other, each followed by its own answer", async () => {
    await say("quick-typer", "Hello");
    const both = await Promise.all([say("quick-typer", "I'm looking for a laptop"), say("quick-typer", "What are your opening hours?")]);
    expect(new Set(both.map((r) => r.conversation_id)).size).toBe(1);
    const [stored, ...more] = await storedOf("quick-typer");
    expect(more).toEqual([]);
    expect(stored!.messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stored!.messages.map((m) => m.direction)).toEqual(["inbound", "outbound", "inbound", "outbound", "inbound", "outbound"]);
    expect(stored!.messages.filter((m) => m.direction === "inbound").map((m) => m.text).sort()).toEqual(["Hello", "I'm looking for a laptop", "What are your opening hours?"]);
  });

  it("continues the newer conversation another process started, not the one this process left", async () => {
    const old = await say("restarter", "I'm looking for a laptop");
    const fresh = await otherProcess(deps, tenantId, text("restarter", "Hello", { startNew: true }));
    expect(fresh.conversation_id).not.toBe(old.conversation_id);
    const next = await say("restarter", "What are your opening hours?");
    expect(next.conversation_id).toBe(fresh.conversation_id);
    expect((await storedOf("restarter")).map((c) => c.messages.length)).toEqual([2, 4]);
  });
});
