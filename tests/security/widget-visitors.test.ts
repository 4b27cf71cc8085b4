import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { conversations } from "@/db/schema";
import { installKv } from "@/server/cache";
import { widgetHistorySchema } from "@/server/channels/visitor-history";
import { widgetConfigSchema, widgetReplySchema } from "@/server/channels/web-widget";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema, successEnvelopeSchema } from "@/server/http/envelope";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { getHistory, getWidgetConfig, openWidgetSite, postWidget, SITE, startSession, visitorToken } from "./support/widget-site";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let site: Awaited<ReturnType<typeof openWidgetSite>>;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  site = await openWidgetSite(handle.db, "widget-walls");
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

/** The visitor named `visitorId` (end user `web:<visitorId>`), as their widget calls with their token. */
const as = async (visitorId: string) => ({ token: await visitorToken(site.key, { visitorId }) });
const say = async (visitorId: string, text: string, conversation_id?: string) => postWidget(site.key, { text, ...(conversation_id ? { conversation_id } : {}) }, await as(visitorId));
const replyOf = async (res: Response) => successEnvelopeSchema(widgetReplySchema).strict().parse(await res.json()).data;

async function conversationRow(id: string) {
  const [row] = await handle.db.select({ messageCount: conversations.messageCount, state: conversations.state, updatedAt: conversations.updatedAt }).from(conversations).where(eq(conversations.id, id));
  return row;
}

/** Visitor Y tells the bot a code word; the bot repeats it on every later turn of that conversation. */
async function visitorWithSecret(visitor: string, code: string) {
  const first = await replyOf(await say(visitor, "hi"));
  expect(first.messages[0]!.text).toBe("What's your code word?");
  const second = await replyOf(await say(visitor, code, first.conversation_id));
  expect(second.messages[0]!.text).toBe(`Your code word is ${code}.`);
  return first.conversation_id;
}

async function expectNotFound(res: Response) {
  expect(res.status).toBe(404);
  const body = errorEnvelopeSchema.parse(await res.json());
  expect(body.error).toEqual({ code: "NOT_FOUND", message: "Conversation not found.", details: { field: "conversation_id" } });
}

describe("widget visitors cannot reach each other's conversations", () => {
  it("answers 404 to a visitor posting another visitor's conversation id, and leaves that conversation as it was", async () => {
    const victim = await visitorWithSecret("visitor-yvonne-01", "ZEBRA42");
    const before = await conversationRow(victim);

    const res = await say("visitor-xavier-01", "what is the code word?", victim);
    const text = await res.clone().text();
    await expectNotFound(res);
    expect(text).not.toContain("ZEBRA42");
    // Exactly the answer for an id that exists nowhere: nothing hints that the conversation is real.
    const nowhere = await say("visitor-xavier-01", "what is the code word?", randomUUID());
    await expectNotFound(nowhere);

    expect(await conversationRow(victim)).toEqual(before);
    expect(before!.state).toMatchObject({ slots: { code: "ZEBRA42" } });
  });

  it("answers 404 to a visitor reading another visitor's history, exactly as for no conversation, and shows a visitor with none an empty history", async () => {
    const victim = await visitorWithSecret("visitor-yvonne-03", "OTTER9");
    const res = await getHistory(site.key, { conversation_id: victim }, await as("visitor-xavier-03"));
    const text = await res.clone().text();
    await expectNotFound(res);
    expect(text).not.toContain("OTTER9");
    await expectNotFound(await getHistory(site.key, { conversation_id: randomUUID() }, await as("visitor-xavier-03")));
    // Without an id the history is the caller's own latest conversation: this visitor has none.
    const own = successEnvelopeSchema(widgetHistorySchema).parse(await (await getHistory(site.key, {}, await as("visitor-xavier-03"))).json()).data;
    expect(own).toEqual({ conversation_id: null, status: null, messages: [] });
  });

  it("shows a visitor their own conversation oldest first, the last `limit` messages, with who wrote each", async () => {
    const mine = await visitorWithSecret("visitor-yvonne-04", "HERON5");
    const read = async (query: Record<string, string>) => successEnvelopeSchema(widgetHistorySchema).parse(await (await getHistory(site.key, query, await as("visitor-yvonne-04"))).json()).data;
    const all = await read({});
    expect(all.conversation_id).toBe(mine);
    expect(all.status).toBe("in_progress");
    expect(all.messages.map((m) => [m.sequence, m.author, m.content.type === "text" ? m.content.text : m.content.type])).toEqual([
      [1, "visitor", "hi"],
      [2, "bot", "What's your code word?"],
      [3, "visitor", "HERON5"],
      [4, "bot", "Your code word is HERON5."],
    ]);
    expect((await read({ conversation_id: mine, limit: "2" })).messages.map((m) => m.sequence)).toEqual([3, 4]);
    const tooMany = await getHistory(site.key, { limit: "101" }, await as("visitor-yvonne-04"));
    expect(tooMany.status).toBe(400);
    expect(errorEnvelopeSchema.parse(await tooMany.json()).error.message).toMatch(/Limit/);
  });

  it("answers 404 to a visitor posting the id of a conversation the tenant's server started through the REST API", async () => {
    const deps = pipelineDepsFor(handle.db);
    const rest = await processMessage(deps, site.tenantId, { user_id: "crm-customer-7", channel: "web", content: { type: "text", text: "hi" } });
    await expectNotFound(await say("visitor-xavier-02", "hello", rest.conversation_id));
    // Even under the visitor's own end-user id, a conversation on another channel is not the widget's to continue or read.
    const elsewhere = await processMessage(deps, site.tenantId, { user_id: "web:visitor-xavier-02", channel: "whatsapp", content: { type: "text", text: "hi" } });
    const before = await conversationRow(elsewhere.conversation_id);
    await expectNotFound(await say("visitor-xavier-02", "hello", elsewhere.conversation_id));
    await expectNotFound(await getHistory(site.key, { conversation_id: elsewhere.conversation_id }, await as("visitor-xavier-02")));
    expect(await conversationRow(elsewhere.conversation_id)).toEqual(before);
    expect(await conversationRow(rest.conversation_id)).toMatchObject({ messageCount: 2 });
  });

  it("lets a visitor continue their own conversation", async () => {
    const mine = await visitorWithSecret("visitor-yvonne-02", "LION7");
    const again = await replyOf(await say("visitor-yvonne-02", "remind me", mine));
    expect(again).toEqual({ conversation_id: mine, messages: [{ type: "text", text: "Your code word is LION7." }] });
    expect(await conversationRow(mine)).toMatchObject({ messageCount: 6 });
  });
});

describe("widget answers use the API's one envelope", () => {
  it("serves the config to the allowed site in the success envelope, without the tenant's settings beyond the display", async () => {
    const res = await getWidgetConfig(site.key);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, Last-Event-ID, X-Filename");
    const body = successEnvelopeSchema(widgetConfigSchema.strict()).strict().parse(await res.json());
    expect(body.data).toEqual({ title: "Chat with us", welcome_message: "Hi! How can we help you today?", brand_color: "#4f46e5", text_color: "#ffffff", position: "right", require_verified_identity: false });
    expect(res.headers.get("x-request-id")).toBe(body.meta.request_id);
  });

  it("refuses other sites and unknown keys in the error envelope, granting CORS to neither, and logs why a site was refused", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      for (const [res, status, code] of [
        [await getWidgetConfig(site.key, { origin: "https://evil.example" }), 403, "FORBIDDEN"],
        [await startSession(site.key, {}, { origin: "https://evil.example" }), 403, "FORBIDDEN"],
        [await postWidget(site.key, { text: "hi" }, { origin: "https://evil.example" }), 403, "FORBIDDEN"],
        [await getWidgetConfig("wk_does_not_exist"), 404, "NOT_FOUND"],
        [await postWidget("wk_does_not_exist", { text: "hi" }, { token: "irrelevant" }), 404, "NOT_FOUND"],
      ] as const) {
        expect(res.status).toBe(status);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        const body = errorEnvelopeSchema.parse(await res.json());
        expect(body.error.code).toBe(code);
        expect(res.headers.get("x-request-id")).toBe(body.meta.request_id);
      }
      const refusal = `[widget] refused: origin https://evil.example is not allowed to embed widget ${site.key}`;
      expect(warn.mock.calls.map((c) => c[0])).toEqual([refusal, refusal, refusal]);
    } finally {
      warn.mockRestore();
    }
  });

  it("reports invalid visitor input as 400 VALIDATION_ERROR naming the field, readable by the allowed site", async () => {
    const res = await postWidget(site.key, { text: "", conversation_id: "not-a-conversation" });
    expect(res.status).toBe(400);
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    const body = errorEnvelopeSchema.parse(await res.json());
    expect(Object.keys((body.error.details as { fields: Record<string, string> }).fields).sort()).toEqual(["conversation_id", "text"]);
    const empty = await postWidget(site.key, {});
    expect(errorEnvelopeSchema.parse(await empty.json()).error.details).toEqual({ fields: { text: "Write a message or attach a file." } });
  });
});
