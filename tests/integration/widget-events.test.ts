import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEvents } from "@/app/api/widget/[key]/conversations/[id]/events/route";
import { memberships, users } from "@/db/schema";
import { installKv } from "@/server/cache";
import { widgetReplySchema } from "@/server/channels/web-widget";
import { widgetLiveMessageSchema, widgetStatusEventSchema } from "@/server/channels/widget-events";
import { installDbHandle } from "@/server/db";
import { releaseConversation, sendAgentMessage, type Actor } from "@/server/inbox/handoff-service";
import { errorEnvelopeSchema, successEnvelopeSchema } from "@/server/http/envelope";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { openWidgetSite, postWidget, SITE, visitorToken } from "../security/support/widget-site";

const BASE = "http://localhost:3000";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let site: Awaited<ReturnType<typeof openWidgetSite>>;
let ann: Actor;
const open: AbortController[] = [];

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  site = await openWidgetSite(handle.db, "live-widget");
  const [owner] = await handle.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.tenantId, site.tenantId), eq(memberships.role, "owner")));
  const [user] = await handle.db.update(users).set({ name: "Ann Becker" }).where(eq(users.id, owner!.userId)).returning();
  ann = { userId: user!.id, label: user!.email };
});
afterAll(async () => {
  for (const stream of open) stream.abort();
  await kv.close();
  await handle.dispose();
});

/** The visitor's first message: the conversation exists and the bot's reply came back in the POST answer. */
async function visitorStarts(visitorId: string, key = site.key): Promise<string> {
  const res = await postWidget(key, { text: "hi" }, { token: await visitorToken(key, { visitorId }) });
  const reply = successEnvelopeSchema(widgetReplySchema).parse(await res.json()).data;
  expect(reply.messages.map((m) => m.text)).toEqual(["What's your code word?"]);
  return reply.conversation_id;
}

/** The inbox's reply: stored with the next sequence, and published to live readers once committed. */
const agentWrites = async (conversationId: string, text: string) => (await sendAgentMessage(handle.db, site.tenantId, conversationId, ann, text)).sequence;

type SseEvent = { event: string; id: string | null; data: unknown };

/** Reads server-sent events off a response body in order. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: SseEvent[] = [];
  const parse = () => {
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
      const event = field("event");
      if (event) queue.push({ event, id: field("id"), data: JSON.parse(field("data")!) });
    }
  };
  return {
    /** The next event matching `match`, with the events passed over on the way. */
    async take(match: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<{ found: SseEvent; passed: SseEvent[] }> {
      const passed: SseEvent[] = [];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (queue.length) {
          const next = queue.shift()!;
          if (match(next)) return { found: next, passed };
          passed.push(next);
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; passed ${JSON.stringify(passed)}`);
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) continue;
        if (chunk.done) throw new Error(`stream ended; passed ${JSON.stringify(passed)}`);
        buffer += decoder.decode(chunk.value, { stream: true });
        parse();
      }
    },
  };
}

/** Opens the stream as the widget does: fetch with the visitor's token (EventSource cannot send it). */
async function connect(conversationId: string, visitorId: string | null, opts: { after?: number; lastEventId?: number; origin?: string; key?: string; token?: string } = {}) {
  const key = opts.key ?? site.key;
  const abort = new AbortController();
  open.push(abort);
  const query = new URLSearchParams(opts.after !== undefined ? { after: String(opts.after) } : {});
  const token = opts.token ?? (visitorId === null ? null : await visitorToken(key, { visitorId }));
  const headers: Record<string, string> = {
    origin: opts.origin ?? SITE,
    ...(token && { authorization: `Bearer ${token}` }),
    ...(opts.lastEventId !== undefined && { "last-event-id": String(opts.lastEventId) }),
  };
  const res = await getEvents(new Request(`${BASE}/api/widget/${key}/conversations/${conversationId}/events?${query}`, { headers, signal: abort.signal }), { params: Promise.resolve({ key, id: conversationId }) });
  return { res, close: () => abort.abort() };
}

const isMessage = (e: SseEvent) => e.event === "message";

describe("GET /api/widget/{key}/conversations/{id}/events", () => {
  it("streams an agent's reply to the visitor's open widget as soon as it is written, but not the bot's POST answers", async () => {
    const conversationId = await visitorStarts("visitor-live-0001");
    const { res, close } = await connect(conversationId, "visitor-live-0001");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    const events = sseReader(res.body!);
    const opening = await events.take((e) => e.event === "status");
    expect(widgetStatusEventSchema.parse(opening.found.data)).toEqual({ status: "in_progress", agent_name: null });

    const sequence = await agentWrites(conversationId, "Hi, I'm Ann from the shop. How can I help?");
    const { found, passed } = await events.take(isMessage);
    expect(widgetLiveMessageSchema.parse(found.data)).toMatchObject({ sequence, text: "Hi, I'm Ann from the shop. How can I help?", author: "agent", agent_name: "Ann Becker" });
    expect(found.id).toBe(String(sequence));
    // The bot's "What's your code word?" was answered in the POST and is never streamed again.
    expect(passed.filter(isMessage)).toEqual([]);
    close();
  });

  it("tells the widget when a person joins and when the bot takes over again", async () => {
    const conversationId = await visitorStarts("visitor-live-0002");
    const { res, close } = await connect(conversationId, "visitor-live-0002");
    const events = sseReader(res.body!);
    await events.take((e) => e.event === "status");

    await agentWrites(conversationId, "Ann here, let me check that for you.");
    expect((await events.take((e) => e.event === "status")).found.data).toEqual({ status: "with_agent", agent_name: "Ann Becker" });

    await releaseConversation(handle.db, site.tenantId, conversationId, ann);
    expect((await events.take((e) => e.event === "status")).found.data).toEqual({ status: "in_progress", agent_name: null });
    close();
  });

  it("skips messages up to `after`, and up to Last-Event-ID when EventSource reconnects", async () => {
    const conversationId = await visitorStarts("visitor-live-0003");
    const first = await agentWrites(conversationId, "First agent message");
    await agentWrites(conversationId, "Second agent message");

    const fromAfter = await connect(conversationId, "visitor-live-0003", { after: first });
    const got = await sseReader(fromAfter.res.body!).take(isMessage);
    expect(got.found.data).toMatchObject({ text: "Second agent message" });
    const seenSecond = Number(got.found.id);
    fromAfter.close();

    const reconnected = await connect(conversationId, "visitor-live-0003", { after: first, lastEventId: seenSecond });
    const events = sseReader(reconnected.res.body!);
    await agentWrites(conversationId, "Third agent message");
    const third = await events.take(isMessage);
    expect(third.found.data).toMatchObject({ text: "Third agent message" });
    expect(third.passed.filter(isMessage)).toEqual([]);
    reconnected.close();
  });

  it("answers 404 with no stream to another visitor or an id that is no conversation, and 401 to no token or another widget's", async () => {
    const conversationId = await visitorStarts("visitor-live-0004");
    const other = await openWidgetSite(handle.db, "other-shop");
    const refused = async (res: Response, status: number, error: Record<string, unknown>) => {
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(errorEnvelopeSchema.parse(await res.json()).error).toMatchObject(error);
    };
    const notFound = { code: "NOT_FOUND", message: "Conversation not found.", details: { field: "conversation_id" } };
    await refused((await connect(conversationId, "visitor-live-9999")).res, 404, notFound);
    await refused((await connect("not-a-uuid", "visitor-live-0004")).res, 404, notFound);
    // The same visitor id through another tenant's widget is another visitor: that widget's own token finds nothing.
    await refused((await connect(conversationId, "visitor-live-0004", { key: other.key })).res, 404, notFound);
    await refused((await connect(conversationId, null)).res, 401, { code: "UNAUTHORIZED" });
    await refused((await connect(conversationId, null, { token: await visitorToken(other.key, { visitorId: "visitor-live-0004" }) })).res, 401, { code: "UNAUTHORIZED" });
  });

  it("refuses a site the tenant did not allow with 403 and no CORS grant", async () => {
    const conversationId = await visitorStarts("visitor-live-0005");
    const { res } = await connect(conversationId, "visitor-live-0005", { origin: "https://elsewhere.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(errorEnvelopeSchema.parse(await res.json()).error).toMatchObject({ code: "FORBIDDEN", message: "This site may not embed this chat." });
  });
});
