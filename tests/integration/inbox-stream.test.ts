import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as stream } from "@/app/api/inbox/stream/route";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { processMessage } from "@/server/pipeline/process-message";
import { publishConversationChange } from "@/server/realtime/conversation-bus";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { logIn } from "../helpers/auth-session";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

const PASSWORD = "stream-pass-4821";
const BASE = "http://localhost:3000/api/inbox/stream";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let acme: { tenantId: string; cookie: string };
let other: { tenantId: string; cookie: string };

async function member(company: string) {
  const email = `${company.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: company, email, passwordHash: await hashPassword(PASSWORD), verified: true });
  return { tenantId: tenant.id, cookie: (await logIn({ db: handle.db, kv }, email, PASSWORD)).cookie };
}

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  acme = await member("Acme");
  other = await member("Other");
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

type Frame = { event: string; data: Record<string, unknown> };

/** Reads server-sent events until `done` says so or the time runs out, then ends the request as a closing tab would. */
async function readUntil(res: Response, abort: AbortController, done: (frames: Frame[]) => boolean, timeoutMs = 8000): Promise<Frame[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(frames) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) frames.push({ event, data: JSON.parse(data) });
      }
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => {});
  }
  return frames;
}

const open = (query: string, cookie: string) => {
  const abort = new AbortController();
  const req = new Request(`${BASE}${query}`, { headers: { cookie }, signal: abort.signal });
  return { abort, response: stream(req) };
};

describe("GET /api/inbox/stream", () => {
  it("sends a new conversation's row as it is written, then ends when the page goes away", async () => {
    const { abort, response } = open("", acme.cookie);
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    let conversationId = "";
    setTimeout(() => {
      void processMessage({ db: handle.db }, acme.tenantId, { user_id: "web:live-visitor", channel: "web", content: { type: "text", text: "Is anyone reading this live?" } }).then((r) => {
        conversationId = r.conversation_id;
        publishConversationChange(acme.tenantId, r.conversation_id);
      });
    }, 100);
    const frames = await readUntil(res, abort, (f) => f.some((x) => x.event === "conversation" && x.data.id === conversationId));
    const row = frames.find((f) => f.event === "conversation" && f.data.id === conversationId);
    expect(row?.data).toMatchObject({ id: conversationId, status: "in_progress", unread: true, matches: true, end_user: { id: "web:live-visitor" } });
    expect(abort.signal.aborted).toBe(true);
  });

  it("streams the open transcript's new messages, and marks rows the filters no longer match", async () => {
    const first = await processMessage({ db: handle.db }, acme.tenantId, { user_id: "web:transcript-live", channel: "web", content: { type: "text", text: "hello" } });
    const { abort, response } = open(`?status=bot&conversation=${first.conversation_id}`, acme.cookie);
    const res = await response;
    setTimeout(() => {
      void processMessage({ db: handle.db }, acme.tenantId, { user_id: "web:transcript-live", channel: "web", conversation_id: first.conversation_id, content: { type: "text", text: "I want to talk to a person" } });
    }, 100);
    const frames = await readUntil(res, abort, (f) => f.some((x) => x.event === "conversation_event"));
    const texts = frames.filter((f) => f.event === "message").map((f) => [f.data.author, (f.data.content as { text: string }).text]);
    expect(texts).toEqual([
      ["user", "I want to talk to a person"],
      ["bot", expect.any(String)],
    ]);
    // Now waiting for an agent: no longer a "bot" conversation, so the live list drops it.
    expect(frames.find((f) => f.event === "conversation" && f.data.id === first.conversation_id)?.data).toMatchObject({ id: first.conversation_id, status: "escalated", matches: false });
    expect(frames.find((f) => f.event === "conversation_event")?.data).toMatchObject({ event: "handoff_requested", actor: "bot" });
  });

  it("keeps other tenants' changes out of a member's stream", async () => {
    const { abort, response } = open("", other.cookie);
    const res = await response;
    let foreign = "";
    setTimeout(() => {
      void processMessage({ db: handle.db }, acme.tenantId, { user_id: "web:acme-only", channel: "web", content: { type: "text", text: "private to Acme" } }).then((r) => {
        foreign = r.conversation_id;
      });
    }, 50);
    const frames = await readUntil(res, abort, () => false, 2500);
    expect(foreign).not.toBe("");
    expect(frames.filter((f) => f.event === "conversation")).toEqual([]);
  });

  it("refuses a request without a session, and another tenant's conversation", async () => {
    const anonymous = await stream(new Request(BASE));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status: "error", error: { code: "UNAUTHORIZED" } });
    const theirs = await processMessage({ db: handle.db }, acme.tenantId, { user_id: "web:acme-secret", channel: "web", content: { type: "text", text: "hello" } });
    const foreign = await stream(new Request(`${BASE}?conversation=${theirs.conversation_id}`, { headers: { cookie: other.cookie } }));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "Conversation not found." } });
    const bad = await stream(new Request(`${BASE}?status=sleeping`, { headers: { cookie: acme.cookie } }));
    expect(bad.status).toBe(400);
  });
});
