/** @jsxImportSource preact */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatContext } from "../chat-contract";
import { safeUrl } from "./safe-url";
import type { ChatActions, ChatView } from "./chat-session";
import { EntryView } from "./message-view";
import { ACCEPTED_TYPES } from "./upload-rules";

const CLIP = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z";

type PanelProps = { ctx: ChatContext; view: ChatView; actions: ChatActions; open: boolean };

/** The open chat: header, the log (an aria-live region), and the message form. Escape closes it. */
export function ChatPanel({ ctx, view, actions, open }: PanelProps) {
  const { config } = ctx;
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const avatar = safeUrl(config.avatar_url);

  // Focus moves into the panel when it opens (the launcher gets it back on close, in the loader).
  useLayoutEffect(() => {
    if (open) (input.current ?? closeButton.current)?.focus();
  }, [open, view.blocked]);
  useLayoutEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [view.entries, view.typing, open]);

  const submit = (event: Event) => {
    event.preventDefault();
    actions.send(draft);
    setDraft("");
  };
  const chosen = () => {
    const picked = file.current?.files?.[0];
    if (file.current) file.current.value = "";
    if (!picked) return;
    actions.attach(picked, draft);
    setDraft("");
  };
  const last = view.entries[view.entries.length - 1];

  return (
    <div
      class="panel"
      role="dialog"
      aria-label={config.title}
      data-testid="chat-widget"
      hidden={!open}
      onKeyDown={(event) => {
        if (event.key === "Escape") ctx.close();
      }}
    >
      <div class="head">
        {avatar ? <img class="avatar" src={avatar} alt="" /> : null}
        <h2>{config.title}</h2>
        <button type="button" class="hbtn" data-testid="new-conversation" onClick={() => (actions.reset(), input.current?.focus())}>
          New conversation
        </button>
        <button type="button" class="hbtn x" aria-label="Close chat" ref={closeButton} onClick={() => ctx.close()}>
          ×
        </button>
      </div>
      <div class="log" role="log" aria-live="polite" aria-label="Conversation" tabIndex={0} ref={log}>
        <div class="row">
          <div class="bubble" data-testid="welcome-message">
            {config.welcome_message}
          </div>
        </div>
        {view.entries.map((entry) => (
          <EntryView key={entry.id} entry={entry} base={ctx.base} onQuickReply={entry === last && !view.typing ? actions.send : undefined} />
        ))}
        {view.typing ? (
          <div class="row">
            <div class="bubble typing" data-testid="typing-indicator" role="status" aria-label="The assistant is typing">
              •••
            </div>
          </div>
        ) : null}
      </div>
      {view.problem ? (
        <p class="problem" role="alert" data-testid="upload-error">
          {view.problem}
        </p>
      ) : null}
      {view.blocked ? (
        <p class="blocked" data-testid="chat-blocked">
          {view.blocked}
        </p>
      ) : (
        <form class="foot" onSubmit={submit}>
          <button type="button" class="attach" aria-label="Attach a file" disabled={view.uploading} onClick={() => file.current?.click()}>
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d={CLIP} />
            </svg>
          </button>
          <input type="file" ref={file} hidden accept={ACCEPTED_TYPES.join(",")} aria-label="File to send" data-testid="chat-file" onChange={chosen} />
          <input
            type="text"
            ref={input}
            data-testid="chat-input"
            aria-label="Message"
            placeholder="Type a message…"
            maxLength={4000}
            autoComplete="off"
            value={draft}
            onInput={(event) => setDraft((event.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="send" data-testid="send-message">
            Send
          </button>
        </form>
      )}
    </div>
  );
}
