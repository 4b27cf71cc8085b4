import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as postChat } from "@/app/api/v2/chat/message/route";
import { conversations, messages } from "@/db/schema";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { MAX_BODY_BYTES } from "@/server/http/json-body";
import { MAX_METADATA_BYTES } from "@/server/pipeline/message-schema";
import { useChatEntryPoints } from "./support/chat-entry-points";
import { postWidget } from "./support/widget-site";

const app = useChatEntryPoints("limits");

const CHUNK = 64 * 1024;

/** A body that is produced only as it is read, so a test can see how much of it a route pulled. */
function meteredBody(totalBytes: number, chunks?: Uint8Array[]) {
  const meter = { pulled: 0, cancelled: false };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks ? chunks[next++] : meter.pulled < totalBytes ? new Uint8Array(Math.min(CHUNK, totalBytes - meter.pulled)).fill(0x20) : undefined;
        if (!chunk) return controller.close();
        meter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        meter.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, meter };
}

const chat = (body: BodyInit, headers: Record<string, string> = {}) =>
  postChat(new Request("http://localhost:3000/api/v2/chat/message", { method: "POST", headers: { authorization: `Bearer ${app.apiKey}`, "content-type": "application/json", ...headers }, body, duplex: "half" } as RequestInit));
const widget = (body: BodyInit, headers: Record<string, string> = {}) => postWidget(app.widgetKey, "", { headers, init: { body, duplex: "half" } as RequestInit });

const routes = { chat, widget };

async function errorOf(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = errorEnvelopeSchema.parse(await res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe.each(Object.entries(routes))("body limits of the %s route", (_name, send) => {
  it("refuses a 2 MB chunked body with 413 once it passes 1 MB, cancelling the stream instead of reading the rest", async () => {
    const { stream, meter } = meteredBody(2 * 1024 * 1024);
    const error = await errorOf(await send(stream), 413, "PAYLOAD_TOO_LARGE");
    expect(error.details).toEqual({ max_bytes: MAX_BODY_BYTES });
    expect(meter.cancelled).toBe(true);
    expect(meter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + CHUNK);
  });

  it("refuses a declared Content-Length over the cap with 413 without reading the body", async () => {
    const { stream, meter } = meteredBody(100 * 1024 * 1024);
    await errorOf(await send(stream, { "content-length": String(100 * 1024 * 1024) }), 413, "PAYLOAD_TOO_LARGE");
    expect(meter.pulled).toBe(0);
    expect(meter.cancelled).toBe(true);
  });

  it("refuses JSON nested 10,000 levels deep with 400 VALIDATION_ERROR, not a stack overflow", async () => {
    const deep = `{"visitor_id":"visitor-deep-01","user_id":"deep","channel":"web","content":{"type":"text","text":"hi"},"channel_metadata":{"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    const error = await errorOf(await send(deep), 400, "VALIDATION_ERROR");
    expect(error.details).toEqual({ fields: { body: "nested deeper than 32 levels" } });
  });

  it("refuses a huge array with 400 VALIDATION_ERROR", async () => {
    const wide = JSON.stringify({ visitor_id: "visitor-wide-01", user_id: "wide", channel: "web", content: { type: "text", text: "hi" }, channel_metadata: { ids: Array.from({ length: 100_000 }, () => 0) } });
    const error = await errorOf(await send(wide), 400, "VALIDATION_ERROR");
    expect(error.details).toEqual({ fields: { body: "more than 1000 items in one array or object" } });
  });

  it("reads a body that arrives in many chunks, with a character split across two of them", async () => {
    const text = "Grüße aus Köln";
    const bytes = new TextEncoder().encode(JSON.stringify({ visitor_id: "visitor-chunks-01", user_id: "chunks", channel: "web", content: { type: "text", text }, text }));
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of "ü"
    const { stream, meter } = meteredBody(bytes.byteLength, [bytes.slice(0, 7), bytes.slice(7, split), bytes.slice(split)]);
    const res = await send(stream);
    expect(res.status).toBe(200);
    expect(meter.pulled).toBe(bytes.byteLength);
    const [stored] = await app.handle.db.select({ text: messages.text }).from(messages).where(eq(messages.text, text));
    expect(stored).toEqual({ text });
  });
});

describe("channel_metadata size", () => {
  const inboundMetadataOf = async (userId: string) =>
    (
      await app.handle.db
        .select({ metadata: messages.metadata })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(and(eq(conversations.endUserId, userId), eq(messages.direction, "inbound")))
    ).map((m) => m.metadata.channel_metadata);
  const withMetadata = (user_id: string, note: string) => JSON.stringify({ user_id, channel: "web", content: { type: "text", text: "hi" }, channel_metadata: { note } });

  it("refuses metadata over 64 KB serialized with 400 naming channel_metadata, and stores metadata under it whole", async () => {
    const error = await errorOf(await chat(withMetadata("meta-big", "x".repeat(MAX_METADATA_BYTES))), 400, "VALIDATION_ERROR");
    expect(error.details).toEqual({ fields: { channel_metadata: "Channel metadata is at most 64 KB of JSON" } });
    expect(await inboundMetadataOf("meta-big")).toEqual([]);

    const note = "y".repeat(MAX_METADATA_BYTES - 100);
    expect((await chat(withMetadata("meta-fits", note))).status).toBe(200);
    const [stored] = await inboundMetadataOf("meta-fits");
    // Compared by length: a failure must not print 64 KB.
    expect((stored as { note?: string } | undefined)?.note?.length).toBe(note.length);
  });

  it("refuses a 20 MB metadata body at the body cap", async () => {
    await errorOf(await chat(withMetadata("meta-huge", "z".repeat(20 * 1024 * 1024))), 413, "PAYLOAD_TOO_LARGE");
  });
});
