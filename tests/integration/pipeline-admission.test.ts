import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "@/db/schema";
import type { Db } from "@/db/client";
import { hashPassword } from "@/server/auth/passwords";
import { installKv, type Kv, type WindowResult } from "@/server/cache";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { receiveInbound } from "@/server/channels/inbound";
import { END_USER_LIMIT } from "@/server/http/rate-limits";
import type { InboundMessage } from "@/server/pipeline/message-schema";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTestDb } from "../helpers/test-db";

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
});
afterAll(() => handle.dispose());

const hello = (userId: string, text: string): InboundMessage => ({ user_id: userId, message_id: `${userId}-${text}`, channel: "whatsapp", content: { type: "text", text } });
const send = (userId: string, text: string) => receiveInbound({ db: watched() }, tenantId, hello(userId, text), { tooFast: "Slow down, please." });

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe("the per-end-user limit on the one inbound path", () => {
  it("checks a new end user's first message alongside the turn's opening round trip, and a refusal still stores nothing", async () => {
    touched = 0;
    const first = send("wa:new-1", "Hello");
    // The turn reaches the database while the limiter has not answered yet.
    await until(() => touched > 0 && pending.length === 1);
    pending.shift()!(refused);
    await expect(first).rejects.toMatchObject({ code: "RATE_LIMITED", message: "Slow down, please." });
    expect(await handle.db.select().from(messages).where(eq(messages.externalId, "wa:new-1-Hello"))).toEqual([]);
  });

  it("refuses someone sending fast before their message reaches the database", async () => {
    const first = send("wa:fast-1", "Hello");
    await until(() => pending.length === 1);
    pending.shift()!(allowed);
    expect((await first).response.text).not.toBe("");
    touched = 0;
    const second = send("wa:fast-1", "Hello again");
    await until(() => pending.length === 1);
    expect(touched).toBe(0);
    pending.shift()!(refused);
    await expect(second).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(touched).toBe(0);
    expect((await handle.db.select().from(messages).where(eq(messages.tenantId, tenantId))).map((m) => m.text)).toEqual(expect.arrayContaining(["Hello"]));
    expect(await handle.db.select().from(messages).where(eq(messages.externalId, "wa:fast-1-Hello again"))).toEqual([]);
  });
});
