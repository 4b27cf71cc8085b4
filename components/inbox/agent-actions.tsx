"use client";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { api, describeError } from "@/lib/trpc-client";
import type { AgentMessageView } from "@/server/inbox/handoff-schemas";
import type { TranscriptConversation } from "@/server/inbox/transcript";
import { agentName } from "./inbox-wording";
import styles from "./inbox.module.css";

type Props = {
  conversation: TranscriptConversation;
  meId: string;
  resume: { initial: string; states: { name: string; type: string }[] };
  /** After any action: the transcript reads itself again. */
  onChanged(): void;
  onReplied(sent: AgentMessageView): void;
};

/** Take, reply, note, hand back, resolve. The server decides what is allowed and says why in words when it is not. */
export function AgentActions({ conversation, meId, resume, onChanged, onReplied }: Props) {
  const [reply, setReply] = useState("");
  const [note, setNote] = useState("");
  const [resumeAt, setResumeAt] = useState(resume.initial);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = conversation.id;
  const withAgent = conversation.status === "with_agent";
  const mine = withAgent && conversation.assigned_agent?.user_id === meId;
  const holder = withAgent && !mine ? conversation.assigned_agent : null;

  async function run(name: string, action: () => Promise<unknown>): Promise<boolean> {
    setPending(name);
    setError(null);
    try {
      await action();
      onChanged();
      return true;
    } catch (e) {
      setError(describeError(e).message);
      return false;
    } finally {
      setPending(null);
    }
  }

  async function sendReply() {
    const text = reply.trim();
    if (!text || pending) return;
    const ok = await run("reply", async () => onReplied(await api.inbox.reply.mutate({ conversationId: id, text })));
    if (ok) setReply("");
  }

  function onReplyKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends; Shift+Enter (and composing an IME word) makes a new line.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void sendReply();
    }
  }

  async function addNote(e: FormEvent) {
    e.preventDefault();
    const text = note.trim();
    if (!text) return;
    if (await run("note", () => api.inbox.note.mutate({ conversationId: id, text }))) setNote("");
  }

  function release(e: FormEvent) {
    e.preventDefault();
    void run("release", () => api.inbox.release.mutate({ conversationId: id, resumeState: resumeAt }));
  }

  return (
    <div className={styles.actions} data-testid="agent-actions">
      <div className="row">
        {holder ? (
          <span className={styles.holder} data-testid="conversation-holder">{`${agentName(holder)} has this conversation`}</span>
        ) : mine ? (
          <span className={styles.holder}>You have this conversation</span>
        ) : conversation.status === "resolved" ? (
          <span className="muted">Resolved. A reply reopens it with you; if the visitor writes first, the bot answers.</span>
        ) : null}
        {!mine && conversation.status !== "resolved" ? (
          <button type="button" data-testid="take-conversation" disabled={holder !== null || pending !== null} onClick={() => void run("take", () => api.inbox.take.mutate({ conversationId: id }))}>
            {pending === "take" ? "Taking…" : "Take conversation"}
          </button>
        ) : null}
        {conversation.status !== "resolved" ? (
          <button type="button" className="secondary" data-testid="resolve-conversation" disabled={pending !== null} onClick={() => void run("resolve", () => api.inbox.resolve.mutate({ conversationId: id }))}>
            {pending === "resolve" ? "Resolving…" : "Resolve"}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert" data-testid="agent-action-error">
          {error}
        </p>
      ) : null}
      <form
        className={styles.composer}
        onSubmit={(e) => {
          e.preventDefault();
          void sendReply();
        }}
      >
        <label htmlFor="agent-reply" className={styles.visuallyHidden}>
          Reply to the visitor
        </label>
        <textarea
          id="agent-reply"
          data-testid="agent-reply-input"
          value={reply}
          onChange={(e) => setReply(e.target.value)}
          onKeyDown={onReplyKey}
          placeholder={holder ? `${agentName(holder)} is answering this visitor` : "Reply to the visitor (Enter sends, Shift+Enter for a new line)"}
          disabled={holder !== null}
          maxLength={4000}
          rows={2}
        />
        <button type="submit" data-testid="send-agent-reply" disabled={holder !== null || pending !== null || reply.trim() === ""}>
          {pending === "reply" ? "Sending…" : "Send"}
        </button>
      </form>
      <form className={styles.composer} onSubmit={(e) => void addNote(e)}>
        <label htmlFor="agent-note" className={styles.visuallyHidden}>
          Internal note (the visitor never sees it)
        </label>
        <textarea id="agent-note" data-testid="note-input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Internal note: only your team sees it" maxLength={4000} rows={1} />
        <button type="submit" className="secondary" data-testid="add-note" disabled={pending !== null || note.trim() === ""}>
          Add note
        </button>
      </form>
      {withAgent || conversation.status === "escalated" ? (
        <form className="row" onSubmit={release} aria-label="Hand back to the bot">
          <label htmlFor="resume-state">Resume at</label>
          <select id="resume-state" data-testid="resume-state" value={resumeAt} onChange={(e) => setResumeAt(e.target.value)}>
            {resume.states.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name === resume.initial ? `${s.name} (start)` : s.name}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary" data-testid="release-conversation" disabled={pending !== null}>
            {pending === "release" ? "Handing back…" : "Hand back to bot"}
          </button>
        </form>
      ) : null}
    </div>
  );
}
