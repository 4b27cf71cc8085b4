import type { ChatContext } from "../chat-contract";
import { dataOf, unwrap, WidgetApiError, type Envelope } from "../envelope";
import type { BotContent, HistoryData, ReplyData, UploadData, VisitorContent } from "../types";
import { liveEvents, type LiveMessage } from "./live-events";
import { readSse } from "./sse";
import { botContent, entriesFromHistory, entryId, statusNotice, textOf, type Entry } from "./transcript";
import { uploadProblem } from "./upload-rules";

/** Everything the panel draws. `problem`: why a chosen file was not sent. */
export type ChatView = { entries: Entry[]; typing: boolean; blocked: string | null; problem: string | null; uploading: boolean };

export type ChatActions = {
  send(text: string): void;
  attach(file: File, caption: string): void;
  reset(): void;
};

const HISTORY_LIMIT = 50;
const SEND_FAILED = "We could not reach the chat service. Please try again.";

const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
const isConversationGone = (error: unknown) => error instanceof WidgetApiError && error.code === "NOT_FOUND" && error.details.field === "conversation_id";

/**
 * The conversation behind the open chat: history on load (and when another tab switches conversation or
 * token), one turn at a time in the order typed, streamed answers, live agent messages, uploads.
 */
export function chatSession(ctx: ChatContext, render: (view: ChatView) => void): ChatActions & { load(): Promise<void>; current(): ChatView } {
  let view: ChatView = { entries: [], typing: false, blocked: ctx.client.state().blocked, problem: null, uploading: false };
  const set = (patch: Partial<ChatView>) => {
    view = { ...view, ...patch };
    render(view);
  };
  const add = (entry: Entry) => set({ entries: [...view.entries, entry] });
  const change = (id: string, update: (entry: Entry) => Entry) => set({ entries: view.entries.map((e) => (e.id === id ? update(e) : e)) });
  const showBot = (content: BotContent, author: "bot" | "agent" = "bot", agentName: string | null = null) => {
    add({ id: entryId(), kind: "bot", author, agentName, content });
    ctx.emitMessage({ direction: "outbound", text: content.text, message: content });
  };

  // The conversation on screen, its last status and sequence (the live stream resumes after it).
  let shown: string | null = null;
  let status: string | null = null;
  let lastSequence = 0;
  let live: { close(): void } | null = null;
  let loads = 0;
  /** A history load is out: drawn after a message the visitor sent meanwhile, it would wipe that message. */
  let loading = false;
  let turns: Promise<void> = Promise.resolve();

  const closeLive = () => {
    live?.close();
    live = null;
  };
  const clear = () => {
    loads++;
    closeLive();
    shown = null;
    status = null;
    lastSequence = 0;
    set({ entries: [], typing: false });
  };

  function openLive() {
    if (live || !shown) return;
    live = liveEvents({
      client: ctx.client,
      conversationId: shown,
      after: lastSequence,
      onMessage(message: LiveMessage) {
        lastSequence = Math.max(lastSequence, message.sequence);
        showBot(message.content ? botContent(message.content) : { type: "text", text: message.text }, message.author, message.agent_name);
      },
      onStatus(next) {
        const notice = statusNotice(next.status, next.agent_name, status);
        status = next.status;
        if (notice) add({ id: entryId(), kind: "notice", text: notice });
      },
    });
  }

  async function showHistory(conversationId: string | null): Promise<void> {
    const load = ++loads;
    let data: HistoryData;
    loading = true;
    try {
      const query = `${conversationId ? `conversation_id=${encodeURIComponent(conversationId)}&` : ""}limit=${HISTORY_LIMIT}`;
      data = await ctx.client.json<HistoryData>(`history?${query}`);
    } catch (error) {
      if (load === loads) loading = false;
      // A remembered conversation that is not this visitor's any more (a new token): show their latest instead.
      if (conversationId && error instanceof WidgetApiError && error.status === 404) {
        ctx.store.update({ conversation: undefined });
        return showHistory(null);
      }
      if (error instanceof WidgetApiError && error.details.reason === "identity_required") set({ blocked: error.message });
      else if (load === loads) add({ id: entryId(), kind: "error", testId: "send-error", text: "We could not load your conversation." });
      return;
    }
    if (load !== loads) return;
    loading = false;
    closeLive();
    shown = data.conversation_id;
    status = data.status;
    lastSequence = data.messages.reduce((max, m) => Math.max(max, m.sequence), 0);
    set({ entries: entriesFromHistory(data.messages) });
    openLive();
  }

  async function load() {
    if (view.blocked) return;
    const saved = ctx.store.read();
    if (saved.fresh) clear();
    else await showHistory(saved.conversation ?? null);
  }

  // Another tab (or this one's reset) started a new conversation or continued another one.
  ctx.store.subscribe((saved) => {
    if (saved.fresh) {
      if (shown || view.entries.length) clear();
    } else if (saved.conversation && saved.conversation !== shown) void showHistory(saved.conversation);
  });
  // identify() or a token renewed: a visitor who may now chat, or whose latest conversation is another one.
  ctx.onSession((state) => {
    const unblocked = view.blocked !== null && state.blocked === null;
    set({ blocked: state.blocked });
    if (state.blocked) return clear();
    if (unblocked || (state.conversationId && state.conversationId !== shown && !ctx.store.read().fresh)) void load();
  });

  /** A streamed answer: model text grows in its bubble; complete replies replace it. Resolves with `done`'s data. */
  async function readTurn(body: ReadableStream<Uint8Array>, drawn: Set<number>): Promise<ReplyData> {
    const growing = new Map<number, string>();
    let done: Envelope<ReplyData> | null = null;
    let failure: { code?: string; message?: string } = {};
    await readSse(body, ({ event, data: raw }) => {
      const data = JSON.parse(raw) as { index?: number; delta?: string; message?: BotContent; code?: string; text?: string };
      const index = data.index ?? -1;
      if (event === "token") {
        let id = growing.get(index);
        if (!id) {
          id = entryId();
          growing.set(index, id);
          set({ typing: false });
          add({ id, kind: "bot", author: "bot", agentName: null, content: { type: "text", text: "" }, busy: true });
        }
        change(id, (e) => (e.kind === "bot" ? { ...e, content: { ...e.content, text: e.content.text + (data.delta ?? "") } } : e));
      } else if (event === "message") {
        const content = botContent(data.message);
        const id = growing.get(index);
        if (id) {
          growing.delete(index);
          change(id, (e) => (e.kind === "bot" ? { ...e, content, busy: false } : e));
          ctx.emitMessage({ direction: "outbound", text: content.text, message: content });
        } else showBot(content);
        drawn.add(index);
        set({ typing: true });
      } else if (event === "error" && data.index === undefined) failure = data as { code?: string; message?: string };
      else if (event === "error") {
        // The cut reply keeps its bubble: the stored, marked text replaces it in the `message` that follows.
        const id = growing.get(index);
        if (id) change(id, (e) => (e.kind === "bot" ? { ...e, busy: false, cutOff: true } : e));
        add({ id: entryId(), kind: "error", testId: "stream-error", text: (data as { message?: string }).message ?? SEND_FAILED });
      } else if (event === "done") done = data as unknown as Envelope<ReplyData>;
    });
    // The turn failed after the stream began: answered like a refusal.
    if (done) return dataOf<ReplyData>(done, 200);
    throw new WidgetApiError(500, failure.code ?? "UNAVAILABLE", failure.message ?? SEND_FAILED);
  }

  async function post(body: Record<string, unknown>, mayRestart: boolean): Promise<void> {
    // The load's answer predates this message: it is dropped, and the conversation drawn again once the reply is in.
    const interrupted = loading;
    if (interrupted) {
      loads++;
      loading = false;
    }
    const saved = ctx.store.read();
    const conversationId = saved.fresh ? undefined : (shown ?? saved.conversation);
    const drawn = new Set<number>();
    let data: ReplyData;
    try {
      const response = await ctx.client.fetch("messages", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream, application/json" },
        body: JSON.stringify({ ...body, conversation_id: conversationId, new_conversation: Boolean(saved.fresh) }),
      });
      // A refusal (limits, a conversation that is gone) is still a plain JSON envelope.
      const streamed = response.ok && response.body && (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
      data = streamed ? await readTurn(response.body!, drawn) : await unwrap<ReplyData>(response);
    } catch (error) {
      if (mayRestart && conversationId && isConversationGone(error)) {
        closeLive();
        shown = null;
        ctx.store.update({ conversation: undefined });
        return post(body, false);
      }
      if (error instanceof WidgetApiError && error.details.reason === "identity_required") set({ blocked: error.message });
      add({ id: entryId(), kind: "error", testId: "send-error", text: error instanceof WidgetApiError ? error.message : SEND_FAILED });
      return;
    }
    if (shown !== data.conversation_id) {
      closeLive();
      shown = data.conversation_id;
      status = null;
    }
    ctx.store.update({ conversation: data.conversation_id, fresh: undefined });
    data.messages.forEach((message, index) => {
      if (!drawn.has(index)) showBot(botContent(message));
    });
    openLive();
    if (interrupted) void showHistory(data.conversation_id);
  }

  /** Turns run one after another in the order the visitor sent them; each shows the typing indicator while it waits. */
  function enqueue(content: VisitorContent, body: Record<string, unknown>) {
    add({ id: entryId(), kind: "visitor", content });
    ctx.emitMessage({ direction: "inbound", text: textOf(content), message: content });
    const messageId = uuid();
    turns = turns.then(async () => {
      set({ typing: true });
      await post({ ...body, message_id: messageId }, true);
      set({ typing: false });
    });
  }

  return {
    load,
    current: () => view,
    send(text) {
      const trimmed = text.trim();
      if (trimmed && !view.blocked) enqueue({ type: "text", text: trimmed }, { text: trimmed });
    },
    attach(file, caption) {
      const problem = uploadProblem(file);
      set({ problem });
      if (problem || view.blocked) return;
      set({ uploading: true });
      ctx.client
        .json<UploadData>("uploads", { method: "POST", headers: { "content-type": file.type, "x-filename": encodeURIComponent(file.name) }, body: file })
        .then(
          (upload) => {
            const text = caption.trim();
            const content: VisitorContent = { type: upload.mime_type.startsWith("image/") ? "image" : "file", url: upload.url, mime_type: upload.mime_type, size_bytes: upload.size_bytes, filename: upload.filename, ...(text ? { caption: text } : {}) };
            enqueue(content, { attachment_id: upload.attachment_id, ...(text ? { text } : {}) });
          },
          (error: unknown) => set({ problem: error instanceof WidgetApiError ? error.message : SEND_FAILED }),
        )
        .finally(() => set({ uploading: false }));
    },
    reset: () => ctx.store.update({ conversation: undefined, fresh: true }),
  };
}
