import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { POST as postChat } from "@/app/api/v2/chat/message/route";
import { GET as search } from "@/app/api/v2/chat/messages/search/route";
import { openDb } from "@/db/client";
import { conversations, messages } from "@/db/schema";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { UNSTORABLE_TEXT_RULE } from "@/server/http/text";
import { useChatEntryPoints } from "./support/chat-entry-points";
import { postWidget, startSession } from "./support/widget-site";

const app = useChatEntryPoints("texts");

const BASE = "http://localhost:3000";
const chat = (body: unknown) => postChat(new Request(`${BASE}/api/v2/chat/message`, { method: "POST", headers: { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) }));
const NUL = "a\u0000b";
const LONE_HIGH = "a\uD800b";
const LONE_LOW = "\uDC00ab";

async function expectRefused(res: Response, field: string) {
  expect(res.status).toBe(400);
  const body = errorEnvelopeSchema.parse(await res.json());
  expect(body.error.code).toBe("VALIDATION_ERROR");
  // The field's label, then the rule: "User ID must not contain NUL characters ...".
  expect((body.error.details as { fields: Record<string, string> }).fields).toEqual({ [field]: expect.stringMatching(new RegExp(`^[A-Z][\\w ()-]* ${UNSTORABLE_TEXT_RULE}$`)) });
}

const storedFor = (userId: string) =>
  app.handle.db
    .select({ text: messages.text })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(conversations.endUserId, userId), eq(messages.direction, "inbound")));

describe("NUL characters and unpaired surrogates are refused with 400 naming the field", () => {
  const message = (user_id: string, extra: Record<string, unknown> = {}) => ({ user_id, channel: "web", content: { type: "text", text: "hello" }, ...extra });
  const file = (extra: Record<string, unknown>) => ({ type: "file", url: "https://cdn.example.com/a.pdf", mime_type: "application/pdf", size_bytes: 10, filename: "a.pdf", ...extra });
  const cases: [string, unknown, string][] = [
    ["NUL in text", message("u-text", { content: { type: "text", text: NUL } }), "content.text"],
    ["lone high surrogate in text", message("u-text2", { content: { type: "text", text: LONE_HIGH } }), "content.text"],
    ["lone low surrogate in text", message("u-text3", { content: { type: "text", text: LONE_LOW } }), "content.text"],
    ["NUL in user_id", message(NUL), "user_id"],
    ["lone surrogate in user_id", message(LONE_HIGH), "user_id"],
    ["NUL in message_id", message("u-mid", { message_id: NUL }), "message_id"],
    ["NUL in session_id", message("u-sid", { session_id: NUL }), "session_id"],
    ["NUL in a caption", message("u-cap", { content: { type: "image", url: "https://cdn.example.com/a.png", mime_type: "image/png", size_bytes: 10, caption: NUL } }), "content.caption"],
    ["NUL in a file name", message("u-file", { content: file({ filename: NUL }) }), "content.filename"],
    ["NUL in an attachment URL", message("u-url", { content: file({ url: "https://cdn.example.com/a\u0000.pdf" }) }), "content.url"],
    ["NUL in a place name", message("u-loc", { content: { type: "location", latitude: 1, longitude: 2, name: NUL } }), "content.name"],
    ["NUL in a nested metadata value", message("u-meta", { channel_metadata: { profile: { names: ["ok", NUL] } } }), "channel_metadata.profile.names.1"],
    ["lone surrogate in a metadata key", message("u-meta2", { channel_metadata: { [LONE_LOW]: "x" } }), "channel_metadata"],
  ];
  it.each(cases)("chat API: %s", async (_name, body, field) => {
    await expectRefused(await chat(body), field);
  });

  it("stores nothing for a refused message", async () => {
    await chat(message("u-nothing", { content: { type: "text", text: NUL } }));
    expect(await storedFor("u-nothing")).toEqual([]);
  });

  it("widget: refuses them in the text, the message id and the visitor's name", async () => {
    await expectRefused(await postWidget(app.widgetKey, { text: NUL }), "text");
    await expectRefused(await postWidget(app.widgetKey, { text: "hi", message_id: NUL }), "message_id");
    await expectRefused(await startSession(app.widgetKey, { name: LONE_HIGH }), "name");
  });

  it("search: refuses a NUL in q", async () => {
    await expectRefused(await search(new Request(`${BASE}/api/v2/chat/messages/search?q=a%00b`, { headers: { authorization: `Bearer ${app.apiKey}` } })), "q");
  });

  it("keeps well-formed text whole: emoji (surrogate pairs), accents and other control characters", async () => {
    const text = "Hi 👋🏽 Grüße\ttab — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢";
    expect((await chat(message("u-fine", { content: { type: "text", text } }))).status).toBe(200);
    expect(await storedFor("u-fine")).toEqual([{ text }]);
    expect((await postWidget(app.widgetKey, { text })).status).toBe(200);
  });
});

describe("unexpected errors", () => {
  it("answer 500 with a generic message and the request id, never the cause, which is logged under that id", async () => {
    // A database without our tables: every query fails with SQL, table names and parameters in its message.
    const unmigrated = openDb({ pgliteDir: "memory://" });
    installDbHandle(unmigrated);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await search(new Request(`${BASE}/api/v2/chat/messages/search?q=hello`, { headers: { authorization: `Bearer ${app.apiKey}`, "x-request-id": "req-broken-db-1" } }));
      expect(res.status).toBe(500);
      const raw = await res.clone().text();
      const body = errorEnvelopeSchema.parse(await res.json());
      expect(body.error).toEqual({ code: "INTERNAL_ERROR", message: "Something went wrong on our side. Please retry. If it keeps happening, quote request req-broken-db-1.", details: { request_id: "req-broken-db-1" } });
      expect(raw).not.toMatch(/select|relation|api_keys|messages|key_hash|tenant_id|pglite/i);
      expect(String(logged.mock.calls[0]?.[1])).toMatch(/select/i);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("req-broken-db-1"), expect.any(Error));
    } finally {
      logged.mockRestore();
      installDbHandle(app.handle);
      await unmigrated.close();
    }
  });
});
