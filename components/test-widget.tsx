"use client";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { ChatTranscript, type ChatEntry } from "./chat-transcript";

type Look = { title: string; welcome: string; color: string };
const DEFAULT_LOOK: Look = { title: "Chat with us", welcome: "Hi! How can we help you today?", color: "#4f46e5" };

/** The dashboard's live preview: same pipeline and flow as real visitors, as a test visitor. */
export function TestWidget() {
  const [open, setOpen] = useState(false);
  const [look, setLook] = useState<Look>(DEFAULT_LOOK);
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [draft, setDraft] = useState("");
  const [pending, setPending] = useState(false);
  const conversationId = useRef<string | undefined>(undefined);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    api.channels.get
      .query({ type: "web" })
      .then((web) => {
        const s = (web?.settings ?? {}) as Partial<{ title: string; welcome_message: string; brand_color: string }>;
        setLook({ title: s.title ?? DEFAULT_LOOK.title, welcome: s.welcome_message ?? DEFAULT_LOOK.welcome, color: s.brand_color ?? DEFAULT_LOOK.color });
      })
      .catch(() => setLook(DEFAULT_LOOK));
  }, [open]);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [entries]);

  async function send(text: string) {
    const trimmed = text.trim();
    if (!trimmed || pending) return;
    setPending(true);
    setEntries((e) => [...e, { id: crypto.randomUUID(), from: "user", text: trimmed }]);
    try {
      const res = await api.chat.test.mutate({ text: trimmed, conversationId: conversationId.current, newConversation: conversationId.current === undefined });
      conversationId.current = res.conversation_id;
      setEntries((e) => [...e, ...res.response.messages.map((message) => ({ id: crypto.randomUUID(), from: "bot" as const, message }))]);
      setDraft("");
    } catch (err) {
      // The draft stays in the input so nothing typed is lost.
      setEntries((e) => [...e, { id: crypto.randomUUID(), from: "error", text: describeError(err).message }]);
    } finally {
      setPending(false);
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void send(draft);
  }

  return (
    <div>
      <div className="row">
        <button type="button" data-testid="test-widget" onClick={() => setOpen((o) => !o)}>
          {open ? "Close test widget" : "Test widget"}
        </button>
        {open && entries.length ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              conversationId.current = undefined;
              setEntries([]);
            }}
          >
            New conversation
          </button>
        ) : null}
      </div>
      {open ? (
        <div className="chat" data-testid="chat-widget" style={{ marginTop: ".8rem" }}>
          <header style={{ background: look.color }}>{look.title}</header>
          <div className="log" ref={logRef} aria-live="polite">
            <div className="bubble bot" data-testid="welcome-message">{look.welcome}</div>
            <ChatTranscript entries={entries} onQuickReply={(q) => void send(q)} />
          </div>
          <form onSubmit={onSubmit}>
            <input data-testid="chat-input" aria-label="Message" placeholder="Type a message…" value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={4000} />
            <button type="submit" data-testid="send-message" disabled={pending || !draft.trim()} style={{ background: look.color, borderColor: look.color }}>
              Send
            </button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
