import { asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { conversations, messages } from "@/db/schema";
import { POST } from "@/app/api/bench/bare/route";
import { POST as floor } from "@/app/api/bench/floor/route";
import { hashPassword } from "@/server/auth/passwords";
import { installDbHandle } from "@/server/db";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let tenantId: string;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  ({
    tenant: { id: tenantId },
  } = await createTenantWithOwner(handle.db, { companyName: "Bench", email: "bench@bench.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true }));
});
afterEach(() => {
  delete process.env.BENCH_MODE;
  delete process.env.BENCH_TENANT_ID;
});
afterAll(() => handle.dispose());

const firstMessage = () =>
  new Request("http://127.0.0.1/api/bench/bare", { method: "POST", body: JSON.stringify({ message_id: "m-1", user_id: "bench-user-1", channel: "web", content: { type: "text", text: "Hello" } }) });

describe("the bench's bare ceiling route", () => {
  it("is not there unless the server runs in bench mode for a tenant", async () => {
    expect((await POST(firstMessage())).status).toBe(404);
    process.env.BENCH_MODE = "1";
    expect((await POST(firstMessage())).status).toBe(404);
    expect(await handle.db.select().from(conversations)).toEqual([]);
  });

  it("writes exactly a first message's rows into the bench tenant: one conversation, the visitor's message and one reply", async () => {
    Object.assign(process.env, { BENCH_MODE: "1", BENCH_TENANT_ID: tenantId });
    const res = await POST(firstMessage());
    expect(res.status).toBe(200);
    const { conversation_id } = (await res.json()) as { conversation_id: string };
    const [conversation] = await handle.db.select().from(conversations).where(eq(conversations.id, conversation_id));
    expect(conversation).toMatchObject({ tenantId, endUserId: "bench-user-1", channel: "web", status: "in_progress", messageCount: 2, lastSequence: 2 });
    const rows = await handle.db.select().from(messages).where(eq(messages.conversationId, conversation_id)).orderBy(asc(messages.sequence));
    expect(rows.map((m) => ({ direction: m.direction, sequence: m.sequence, externalId: m.externalId, tenantId: m.tenantId, text: m.text }))).toEqual([
      { direction: "inbound", sequence: 1, externalId: "m-1", tenantId, text: "Hello" },
      { direction: "outbound", sequence: 2, externalId: null, tenantId, text: expect.stringContaining("Welcome to Acme Store") },
    ]);
    expect(rows[1]!.replyTo).toBe(rows[0]!.id);
  });
});

describe("the bench's framework floor route", () => {
  it("is not there unless the server runs in bench mode, and then answers without touching any data", async () => {
    const before = await handle.db.select().from(conversations);
    expect((await floor()).status).toBe(404);
    process.env.BENCH_MODE = "1";
    const res = await floor();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(await handle.db.select().from(conversations)).toEqual(before);
  });
});
