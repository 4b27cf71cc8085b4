import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import type { Db } from "@/db/client";
import { hashPassword } from "@/server/auth/passwords";
import { installKv, type Kv, type WindowResult } from "@/server/cache";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { receiveInbound } from "@/server/channels/inbound";
import { END_USER_LIMIT, endUserHit } from "@/server/http/rate-limits";
import { forgetConversation } from "@/server/pipeline/presumed-next-turn";
import { processMessage } from "@/server/pipeline/process-message";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

let handle: Awaited<ReturnType<typeof createTestDb>>;
let tenantId: string;

/** The limiter's answers, held until the test releases them. */
const pending: ((r: WindowResult) => void)[] = [];
const heldKv: Kv = { ...createMemoryKv(), slidingWindow: () => new Promise<WindowResult>((resolve) => pending.push(resolve)) };
const refused: WindowResult = { allowed: false, limit: END_USER_LIMIT, remaining: 0, retryAfterMs: 30_000 };
const allowed: WindowResult = { allowed: true, limit: END_USER_LIMIT, remaining: 5, retryAfterMs: 0 };

/** The test database, noting when a turn first reaches it. */
let touched = 0;
const watched = () => new Proxy(handle.db, { get: (db, prop, receiver) => (prop === "transaction" || prop === "$client" ? (touched++, Reflect.get(db, prop, receiver)) : Reflect.get(db, prop, receiver)) }) as Db;

beforeAll(async () => {
  handle = await createTestDb();
  ({
    tenant: { id: tenantId },
  } = await createTenantWithOwner(handle.db, { companyName: "Acme", email: "owner@acme.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true }));
  installKv(heldKv);
  // This process starts one conversation the long way, so it knows the live version a first message may presume.
  await processMessage({ db: handle.db }, tenantId, hello("warm-up", "Hello"));
});
afterAll(() => handle.dispose());

const hello = (userId: string, text: string): InboundMessage => ({ user_id: userId, message_id: `${userId}-${text}`, channel: "whatsapp", content: { type: "text", text } });
const send = (userId: string, text: string) => receiveInbound({ db: watched() }, tenantId, hello(userId, text), { tooFast: "Slow down, please." });

const inboundTexts = async (userId: string) =>
  (await handle.db.select().from(messages).where(eq(messages.tenantId, tenantId))).filter((m) => m.direction === "inbound" && (m.metadata as { user_id?: string }).user_id === userId).map((m) => m.text);
const windowOf = (userId: string) => heldKv.count(endUserHit(tenantId, userId, 0).key, 60_000);

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("the per-end-user limit on the one inbound path", () => {
  it("answers a new end user's first message without asking the limiter, and counts it towards their limit", async () => {
    const answer = await send("wa:new-1", "Hello");
    expect(pending).toHaveLength(0);
    expect(await inboundTexts("wa:new-1")).toEqual(["Hello"]);
    expect(answer.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    // Their next message is checked before it reaches the database, against a window that holds the first.
    touched = 0;
    const second = send("wa:new-1", "Hello again");
    await until(() => pending.length === 1);
    expect(await windowOf("wa:new-1")).toBe(1);
    expect(touched).toBe(0);
    pending.shift()!(allowed);
    await second;
    expect(await inboundTexts("wa:new-1")).toEqual(["Hello", "Hello again"]);
  });

  it("keeps a new end user to exactly the limit, their uncounted first message included", async () => {
    const kv = createTestKv();
    installKv(kv);
    try {
      const outcomes: string[] = [];
      for (let i = 0; i <= END_USER_LIMIT; i++) outcomes.push(await send("wa:chatty", `message ${i}`).then(() => "answered", (e: { code?: string }) => e.code ?? "failed"));
      expect(outcomes).toEqual([...Array<string>(END_USER_LIMIT).fill("answered"), "RATE_LIMITED"]);
      expect(await inboundTexts("wa:chatty")).toHaveLength(END_USER_LIMIT);
    } finally {
      installKv(heldKv);
      await kv.close();
    }
  });

  it("checks alongside the turn an end user this process has not seen who talked to the bot before, and a refusal stores nothing", async () => {
    // Their earlier conversation, as another process ran it: this one does not remember it.
    await processMessage({ db: handle.db }, tenantId, hello("wa:old-1", "Hello"));
    forgetConversation(tenantId, hello("wa:old-1", "Back again"));
    touched = 0;
    const again = send("wa:old-1", "Back again");
    // The turn reaches the database while the limiter has not answered yet.
    await until(() => touched > 0 && pending.length === 1);
    pending.shift()!(refused);
    await expect(again).rejects.toMatchObject({ code: "RATE_LIMITED", message: "Slow down, please." });
    expect(await inboundTexts("wa:old-1")).toEqual(["Hello"]);
  });

  it("refuses someone sending fast before their message reaches the database", async () => {
    await send("wa:fast-1", "Hello");
    touched = 0;
    const second = send("wa:fast-1", "Hello again");
    await until(() => pending.length === 1);
    expect(touched).toBe(0);
    pending.shift()!(refused);
    await expect(second).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(touched).toBe(0);
    expect(await inboundTexts("wa:fast-1")).toEqual(["Hello"]);
  });
});
