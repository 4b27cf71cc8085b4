import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { describe, expect, it, vi } from "vitest";
import type { ChatContext } from "@/components/embed/chat-contract";
import { chatSession, type ChatView } from "@/components/embed/chat/chat-session";
import { ChatPanel } from "@/components/embed/chat/chat-panel";
import { EntryView } from "@/components/embed/chat/message-view";
import type { Entry } from "@/components/embed/chat/transcript";
import { widgetClient, type WidgetClient } from "@/components/embed/client";
import { unwrap } from "@/components/embed/envelope";
import { globalApi } from "@/components/embed/global-api";
import type { BotContent, MessageEventDetail, SessionState } from "@/components/embed/types";
import type { WidgetHandle } from "@/components/embed/widget-instance";
import { widgetStore } from "@/components/embed/widget-store";
import { readSse, sseParser, type SseEvent } from "@/components/embed/chat/sse";
import { linkify, safeUrl } from "@/components/embed/chat/safe-url";
import { ACCEPTED_TYPES, MAX_UPLOAD_BYTES, uploadProblem } from "@/components/embed/chat/upload-rules";
import { ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from "@/server/pipeline/message-schema";

const STREAM = 'retry: 1000\n\nevent: token\ndata: {"index":0,"delta":"Our "}\n\n: keep-alive\n\nid: 7\nevent: message\ndata: {"a":1}\ndata: {"b":2}\n\n';

function parseAll(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const push = sseParser((e) => events.push(e));
  chunks.forEach(push);
  return events;
}

describe("the widget's event-stream parser", () => {
  it("yields each event once, however the stream is split, skipping comments and retry lines", () => {
    const whole = parseAll([STREAM]);
    expect(whole).toEqual([
      { event: "token", data: '{"index":0,"delta":"Our "}' },
      { event: "message", data: '{"a":1}\n{"b":2}', id: "7" },
    ]);
    // Every split point, including inside "\n\n" and inside a field name.
    for (let at = 1; at < STREAM.length; at++) expect(parseAll([STREAM.slice(0, at), STREAM.slice(at)])).toEqual(whole);
    expect(parseAll([...STREAM])).toEqual(whole);
  });

  it("reads CRLF line endings, even a CRLF split across chunks, like LF", () => {
    const crlf = STREAM.replaceAll("\n", "\r\n");
    const at = crlf.indexOf("\r\n\r\n") + 1;
    expect(parseAll([crlf.slice(0, at), crlf.slice(at)])).toEqual(parseAll([STREAM]));
  });

  it("reads a fetch body of UTF-8 bytes split inside a character", async () => {
    const bytes = new TextEncoder().encode('event: token\ndata: {"delta":"Grüße 👋"}\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readSse(body, (e) => events.push(e));
    expect(events).toEqual([{ event: "token", data: '{"delta":"Grüße 👋"}' }]);
  });
});

describe("URLs the widget may put in an href or src", () => {
  it("admits http and https only, resolving the app's relative upload URLs against its origin", () => {
    expect(safeUrl("https://shop.example/p?id=1")).toBe("https://shop.example/p?id=1");
    expect(safeUrl("/api/widget/wk_1/uploads/abc", "http://127.0.0.1:3100")).toBe("http://127.0.0.1:3100/api/widget/wk_1/uploads/abc");
    for (const bad of ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "/relative-without-base", "", "http://"]) expect(safeUrl(bad)).toBeNull();
    expect(safeUrl("javascript:alert(1)", "http://127.0.0.1:3100")).toBeNull();
  });

  it("turns only http(s) URLs in message text into links, leaving javascript: and sentence punctuation as text", () => {
    expect(linkify("See https://shop.example/laptops. Or javascript:alert(1) here")).toEqual([
      { text: "See " },
      { text: "https://shop.example/laptops", href: "https://shop.example/laptops" },
      { text: ". Or javascript:alert(1) here" },
    ]);
    expect(linkify("<img src=x onerror=alert(1)>")).toEqual([{ text: "<img src=x onerror=alert(1)>" }]);
  });
});

describe("files the widget refuses before uploading", () => {
  it("accepts exactly the server's types and size cap", () => {
    expect(ACCEPTED_TYPES).toEqual([...ALLOWED_ATTACHMENT_TYPES]);
    expect(MAX_UPLOAD_BYTES).toBe(MAX_ATTACHMENT_BYTES);
  });

  it("names the file and the reason for a wrong type or a file over 10 MB", () => {
    expect(uploadProblem({ name: "cat.png", type: "image/png", size: 1234 })).toBeNull();
    expect(uploadProblem({ name: "page.html", type: "text/html", size: 10 })).toBe("page.html can't be sent: only images (PNG, JPEG, GIF, WebP), PDF, text and CSV files are accepted.");
    expect(uploadProblem({ name: "huge.pdf", type: "application/pdf", size: MAX_ATTACHMENT_BYTES + 1 })).toBe("huge.pdf is too large: files can be up to 10 MB.");
  });
});

describe("messages as the widget renders them", () => {
  const base = "http://127.0.0.1:3100";
  const html = (entry: Entry) => renderToString(h(EntryView, { entry, base, onQuickReply: () => undefined }) as VNode);
  const bot = (content: BotContent): Entry => ({ id: "b", kind: "bot", author: "bot", agentName: null, content });

  it("shows markup, event handlers and javascript: links written by anyone as text, never as elements or hrefs", () => {
    const payloads = "<script>alert(1)</script> <img src=x onerror=alert(1)> javascript:alert(1)";
    const visitor = html({ id: "v", kind: "visitor", content: { type: "text", text: payloads } });
    const agent = html({ id: "a", kind: "bot", author: "agent", agentName: "<b>Ann</b>", content: { type: "text", text: payloads } });
    for (const out of [visitor, agent]) {
      expect(out).toContain("&lt;script>alert(1)&lt;/script> &lt;img src=x onerror=alert(1)> javascript:alert(1)");
      expect(out).not.toMatch(/<script|<img|href=/);
    }
    expect(agent).toContain('data-testid="agent-name">&lt;b>Ann&lt;/b></div>');
  });

  it("renders carousel images and link buttons for http(s) URLs only, other URLs as text, and quick replies as buttons", () => {
    const out = html(
      bot({
        type: "carousel",
        text: "Here are some options",
        quick_replies: ["More like these"],
        items: [
          { title: "Laptop Pro 14", subtitle: "$999", image_url: "https://cdn.example/pro.png", url: "https://shop.example/pro" },
          { title: "Trap", image_url: "javascript:alert(1)", payload: "javascript:alert(2)" },
          { title: "DevBook Pro 14", payload: "devbook-pro-14" },
        ],
      }),
    );
    expect(out).toContain('<img src="https://cdn.example/pro.png" alt />');
    expect(out).toContain('<a href="https://shop.example/pro" target="_blank" rel="noopener noreferrer nofollow">View<span class="sr"> Laptop Pro 14</span></a>');
    expect(out).toContain('<p class="raw">javascript:alert(1)</p>');
    expect(out).toContain('<p class="raw">javascript:alert(2)</p>');
    expect(out).not.toContain('"javascript:');
    expect(out).not.toContain("devbook-pro-14");
    expect(out).toContain('<button type="button">More like these</button>');
  });

  it("shows an uploaded image as a thumbnail from the app and a file as a link with its name", () => {
    const image = html({ id: "i", kind: "visitor", content: { type: "image", url: "/api/widget/wk_1/uploads/u1", mime_type: "image/png", size_bytes: 10, filename: "tent.png" } });
    expect(image).toContain(`<img class="thumb" src="${base}/api/widget/wk_1/uploads/u1" alt="tent.png" />`);
    const file = html({ id: "f", kind: "visitor", content: { type: "file", url: `${base}/api/widget/wk_1/uploads/u2`, mime_type: "application/pdf", size_bytes: 10, filename: "receipt.pdf", caption: "my receipt" } });
    expect(file).toContain(`<a href="${base}/api/widget/wk_1/uploads/u2" target="_blank" rel="noopener noreferrer nofollow">receipt.pdf</a><div>my receipt</div>`);
  });
});

/** A browser tab's localStorage and `storage` events, enough for widgetStore. */
function fakeWindow() {
  const items = new Map<string, string>();
  const listeners: ((e: { key: string; newValue: string | null }) => void)[] = [];
  const win = {
    localStorage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
    addEventListener: (_type: string, fn: (e: { key: string; newValue: string | null }) => void) => void listeners.push(fn),
  };
  /** What another tab's write looks like here: the value changes and a storage event fires. */
  const otherTab = (key: string, value: object) => {
    items.set(key, JSON.stringify(value));
    listeners.forEach((fn) => fn({ key, newValue: JSON.stringify(value) }));
  };
  return { win: win as unknown as Window, otherTab };
}

type Call = { path: string; body: Record<string, unknown> | null };
const envelope = (data: unknown, status = 200) => Response.json({ status: "success", data, meta: {} }, { status });
const refusal = (status: number, code: string, message: string, details: object = {}) => Response.json({ status: "error", error: { code, message, details } }, { status });

/** A chat session over a scripted server: `answer` gets each call in turn; the events stream answers 404 unless scripted. */
function session(answer: (call: Call) => Response | undefined, saved: object = {}) {
  const { win, otherTab } = fakeWindow();
  const store = widgetStore("wk_test", win);
  store.update(saved);
  const calls: Call[] = [];
  const sessions = new Set<(s: SessionState) => void>();
  const respond = async (path: string, init: RequestInit = {}) => {
    const call = { path, body: typeof init.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : null };
    calls.push(call);
    return answer(call) ?? refusal(404, "NOT_FOUND", "Conversation not found.");
  };
  const client: WidgetClient = {
    config: () => Promise.reject(new Error("not used")),
    openSession: () => Promise.reject(new Error("not used")),
    state: () => ({ ready: true, blocked: null, conversationId: null }),
    fetch: respond,
    json: async (path, init) => unwrap(await respond(path, init)),
  };
  const events: MessageEventDetail[] = [];
  let view!: ChatView;
  const ctx: ChatContext = {
    key: "wk_test",
    base: "http://127.0.0.1:3100",
    config: { title: "Shop", welcome_message: "Hi", brand_color: "#4f46e5", position: "right" },
    frame: null as unknown as HTMLElement,
    store,
    client,
    onSession: (fn) => (sessions.add(fn), () => sessions.delete(fn)),
    close: () => undefined,
    emitMessage: (detail) => events.push({ key: "wk_test", ...detail }),
  };
  const chat = chatSession(ctx, (next) => (view = next));
  view = chat.current();
  const texts = () => view.entries.map((e) => (e.kind === "bot" ? `${e.author}${e.busy ? "(busy)" : ""}${e.cutOff ? "(cut)" : ""}: ${e.content.text}` : e.kind === "visitor" ? `visitor: ${"text" in e.content ? e.content.text : e.content.filename}` : `${e.kind}: ${e.text}`));
  return { chat, store, calls, events, texts, view: () => view, otherTab };
}

/** An SSE body the test writes into event by event. */
function sseBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: new Response(body, { headers: { "content-type": "text/event-stream" } }),
    send: (event: string, data: unknown) => controller.enqueue(new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)),
    end: () => controller.close(),
  };
}

const CONVERSATION = "0b7c8a52-3a4f-4a43-9a55-6f1f0c3f4f01";

describe("the open chat's conversation", () => {
  it("grows a streamed answer in one busy bubble, then ends a cut answer with its marked text and a stream error", async () => {
    const turns = [sseBody(), sseBody()];
    const s = session((call) => (call.path === "messages" ? turns.shift()!.response : undefined));
    const [first, second] = turns as [ReturnType<typeof sseBody>, ReturnType<typeof sseBody>];

    s.chat.send("  Are your tents waterproof?  ");
    await vi.waitFor(() => expect(s.calls[0]?.path).toBe("messages"));
    expect(s.calls[0]!.body).toMatchObject({ text: "Are your tents waterproof?", new_conversation: false });
    expect(s.calls[0]!.body!.conversation_id).toBeUndefined();
    expect(s.view().typing).toBe(true);
    first.send("message", { index: 0, message: { type: "text", text: "Let me check that for you." } });
    first.send("token", { index: 1, delta: "Our tents " });
    await vi.waitFor(() => expect(s.texts()).toEqual(["visitor: Are your tents waterproof?", "bot: Let me check that for you.", "bot(busy): Our tents "]));
    expect(s.view().typing).toBe(false);
    first.send("token", { index: 1, delta: "are waterproof." });
    first.send("message", { index: 1, message: { type: "text", text: "Our tents are waterproof." } });
    first.send("done", { status: "success", data: { conversation_id: CONVERSATION, messages: [{ type: "text", text: "Let me check that for you." }, { type: "text", text: "Our tents are waterproof." }] } });
    first.end();
    await vi.waitFor(() => expect(s.store.read().conversation).toBe(CONVERSATION));
    expect(s.texts()).toEqual(["visitor: Are your tents waterproof?", "bot: Let me check that for you.", "bot: Our tents are waterproof."]);
    expect(s.events.map((e) => `${e.direction}: ${e.text}`)).toEqual(["inbound: Are your tents waterproof?", "outbound: Let me check that for you.", "outbound: Our tents are waterproof."]);

    s.chat.send("How long does shipping take?");
    await vi.waitFor(() => expect(s.calls.filter((c) => c.path === "messages")).toHaveLength(2));
    expect(s.calls.filter((c) => c.path === "messages")[1]!.body).toMatchObject({ conversation_id: CONVERSATION, text: "How long does shipping take?" });
    second.send("token", { index: 0, delta: "Shipping takes " });
    second.send("error", { index: 0, code: "MODEL_STREAM_INTERRUPTED", message: "The answer was cut off. Please ask again." });
    second.send("message", { index: 0, message: { type: "text", text: "Shipping takes … [The answer was cut off here.]" } });
    second.send("done", { status: "success", data: { conversation_id: CONVERSATION, messages: [{ type: "text", text: "Shipping takes … [The answer was cut off here.]" }] } });
    second.end();
    await vi.waitFor(() => expect(s.view().typing).toBe(false));
    expect(s.texts().slice(3)).toEqual(["visitor: How long does shipping take?", "bot(cut): Shipping takes … [The answer was cut off here.]", "error: The answer was cut off. Please ask again."]);
  });

  it("shows the history on load, follows another tab's new conversation, and restarts a message whose conversation is gone", async () => {
    const OTHER = "0b7c8a52-3a4f-4a43-9a55-6f1f0c3f4f02";
    const history = (id: string, messages: unknown[]) => envelope({ conversation_id: id, status: "in_progress", messages });
    const s = session(
      (call) => {
        if (call.path === `history?conversation_id=${CONVERSATION}&limit=50`)
          return history(CONVERSATION, [
            { sequence: 1, direction: "inbound", author: "visitor", agent_name: null, content: { type: "text", text: "I'm looking for a laptop" }, created_at: "2026-12-01T10:00:00Z" },
            { sequence: 2, direction: "outbound", author: "bot", agent_name: null, content: { type: "carousel", text: "Here are some options", items: [{ title: "Laptop Pro 14" }] }, created_at: "2026-12-01T10:00:01Z" },
            { sequence: 3, direction: "outbound", author: "agent", agent_name: "Ann Becker", content: { type: "text", text: "Anything else?" }, created_at: "2026-12-01T10:01:00Z" },
          ]);
        if (call.path === `history?conversation_id=${OTHER}&limit=50`) return history(OTHER, [{ sequence: 1, direction: "inbound", author: "visitor", agent_name: null, content: { type: "text", text: "Hello from tab two" }, created_at: "2026-12-01T11:00:00Z" }]);
        if (call.path === "messages" && call.body?.conversation_id === OTHER) return refusal(404, "NOT_FOUND", "Conversation not found.", { field: "conversation_id" });
        if (call.path === "messages") return envelope({ conversation_id: CONVERSATION, messages: [{ type: "text", text: "Welcome back!" }] });
        return undefined;
      },
      { token: "t1", conversation: CONVERSATION },
    );
    await s.chat.load();
    expect(s.texts()).toEqual(["visitor: I'm looking for a laptop", "bot: Here are some options", "agent: Anything else?"]);
    const agent = s.view().entries[2];
    expect(agent?.kind === "bot" && agent.agentName).toBe("Ann Becker");
    // The live stream resumes after the last message shown.
    await vi.waitFor(() => expect(s.calls.map((c) => c.path)).toContain(`conversations/${CONVERSATION}/events?after=3`));

    s.otherTab("cbp:wk_test", { token: "t1", fresh: true });
    expect(s.texts()).toEqual([]);
    s.otherTab("cbp:wk_test", { token: "t1", conversation: OTHER });
    await vi.waitFor(() => expect(s.texts()).toEqual(["visitor: Hello from tab two"]));

    s.chat.send("Still there?");
    await vi.waitFor(() => expect(s.texts()).toContain("bot: Welcome back!"));
    const posts = s.calls.filter((c) => c.path === "messages");
    expect(posts.map((p) => p.body!.conversation_id)).toEqual([OTHER, undefined]);
    expect(posts[1]!.body!.message_id).toBe(posts[0]!.body!.message_id);
    expect(s.store.read().conversation).toBe(CONVERSATION);
  });
});

describe("window.ChatbotWidget on a page with two tenants' widgets", () => {
  const handle = (key: string, calls: string[]): WidgetHandle => {
    const record = (method: string) => (...args: unknown[]) => void calls.push(`${key} ${method}${args.length ? ` ${args.map((a) => (typeof a === "function" ? "fn" : JSON.stringify(a))).join(" ")}` : ""}`);
    return { key, open: record("open"), close: record("close"), toggle: record("toggle"), reset: record("reset"), identify: record("identify"), on: record("on"), off: record("off") };
  };

  it("replays queued calls to every widget or the one named, acts on all or one through get(key), and never mixes them up", () => {
    const calls: string[] = [];
    const page = { ChatbotWidget: { q: [["on", "ready", () => undefined], { key: "wk_b", call: ["identify", { user_id: "u1", user_hash: "h" }] }] } } as unknown as Window;
    const api = globalApi(page);
    api.add(handle("wk_a", calls));
    // The second snippet's loader finds the same API object.
    expect(globalApi(page)).toBe(api);
    api.add(handle("wk_b", calls));
    expect(calls).toEqual(["wk_a on \"ready\" fn", "wk_b on \"ready\" fn", 'wk_b identify {"user_id":"u1","user_hash":"h"}']);

    calls.length = 0;
    api.get("wk_a")!.open();
    api.close();
    api.q.push({ key: "wk_a", call: ["reset"] });
    expect(calls).toEqual(["wk_a open", "wk_a close", "wk_b close", "wk_a reset"]);
    expect(api.get("wk_unknown")).toBeUndefined();
  });
});

describe("the visitor session", () => {
  it("opens a new session once when a call answers 401, retries with the new token, and keeps it per widget key", async () => {
    const { win } = fakeWindow();
    const store = widgetStore("wk_a", win);
    store.update({ token: "expired" });
    const seen: string[] = [];
    let issued = 0;
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      const path = url.replace("http://127.0.0.1:3100/api/widget/wk_a/", "");
      const auth = new Headers(init.headers).get("authorization");
      seen.push(`${path} ${path === "session" ? (JSON.parse(String(init.body)) as { visitor_token?: string }).visitor_token : auth}`);
      if (path === "session") return envelope({ visitor_token: `fresh-${++issued}`, expires_at: "2027-01-01T00:00:00Z", verified: false, conversation_id: null });
      return auth === "Bearer expired" ? refusal(401, "UNAUTHORIZED", "Your chat session has expired.") : envelope({ conversation_id: null, status: null, messages: [] });
    });
    try {
      const client = widgetClient({ base: "http://127.0.0.1:3100", key: "wk_a", store, identity: () => ({}), onSession: () => undefined });
      await client.openSession();
      // The token expires while the page is open: the call is refused, a session renews it, the call is sent once more.
      store.update({ token: "expired" });
      await expect(client.json("history?limit=50")).resolves.toEqual({ conversation_id: null, status: null, messages: [] });
      expect(seen).toEqual(["session expired", "history?limit=50 Bearer expired", "session expired", "history?limit=50 Bearer fresh-2"]);
      expect(store.read().token).toBe("fresh-2");
      expect(widgetStore("wk_b", win).read().token).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("shows the server's words and no input when the widget requires a signed-in visitor", async () => {
    const { win } = fakeWindow();
    const states: SessionState[] = [];
    vi.stubGlobal("fetch", async () => refusal(403, "FORBIDDEN", "Please sign in to chat.", { reason: "identity_required" }));
    try {
      const client = widgetClient({ base: "http://127.0.0.1:3100", key: "wk_a", store: widgetStore("wk_a", win), identity: () => ({ user_id: "u1" }), onSession: (s) => states.push(s) });
      await client.openSession();
      expect(states).toEqual([{ ready: true, blocked: "Please sign in to chat.", conversationId: null }]);
      await expect(client.json("history?limit=50")).rejects.toThrow("Please sign in to chat.");
    } finally {
      vi.unstubAllGlobals();
    }
    const ctx = { config: { title: "Shop", welcome_message: "Hi", brand_color: "#4f46e5", position: "right" }, base: "http://127.0.0.1:3100", close: () => undefined } as unknown as ChatContext;
    const panel = renderToString(h(ChatPanel, { ctx, open: true, actions: { send: () => undefined, attach: () => undefined, reset: () => undefined }, view: { entries: [], typing: false, blocked: "Please sign in to chat.", problem: null, uploading: false } }) as VNode);
    expect(panel).toContain('<p class="blocked" data-testid="chat-blocked">Please sign in to chat.</p>');
    expect(panel).not.toContain("chat-input");
  });
});
