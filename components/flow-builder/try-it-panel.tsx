"use client";
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { api, describeError } from "@/lib/trpc-client";
import type { ConversationState } from "@/server/flows/conversation-state";
import { TryItTurnView, type TryItTurn } from "./try-it-turn";
import styles from "./try-it-panel.module.css";

type Props = { flowId: string; doc: FlowDoc; valid: boolean; onActiveState(name: string | null): void };

/**
 * A sandbox conversation with the draft as it is on screen, saved or not: each message runs one turn
 * through the production engine on the server (flows.tryIt), which stores nothing. The conversation's
 * state lives here and goes with the next message, so editing the draft mid-conversation carries on
 * from where it was.
 */
export function TryItPanel({ flowId, doc, valid, onActiveState }: Props) {
  const [turns, setTurns] = useState<TryItTurn[]>([]);
  const [text, setText] = useState("");
  const [pending, setPending] = useState(false);
  const state = useRef<ConversationState | null>(null);
  // The latest draft and callbacks without re-creating `send` on every edit (the transcript is memoized on it).
  const latest = useRef({ doc, valid, pending, onActiveState });
  latest.current = { doc, valid, pending, onActiveState };
  // A restart while a turn is in flight makes its answer stale.
  const generation = useRef(0);
  const logRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [turns]);

  const send = useCallback(
    async (raw: string) => {
      const said = raw.trim();
      const { doc: current, valid: ok, pending: busy } = latest.current;
      if (!said || busy || !ok) return;
      const run = generation.current;
      setPending(true);
      latest.current.pending = true;
      try {
        const result = await api.flows.tryIt.mutate({ flowId, definition: current.definition, samples: current.canvas.samples, state: state.current, text: said });
        if (run !== generation.current) return;
        state.current = result.state;
        setTurns((t) => [...t, { id: crypto.randomUUID(), text: said, result }]);
        // A quick reply sends its own words: what the author was typing meanwhile stays.
        setText((typed) => (typed.trim() === said ? "" : typed));
        latest.current.onActiveState(result.state.current_state);
      } catch (error) {
        // What was typed stays in the input, so nothing is lost.
        if (run === generation.current) setTurns((t) => [...t, { id: crypto.randomUUID(), text: said, failure: describeError(error).message }]);
      } finally {
        if (run === generation.current) {
          setPending(false);
          latest.current.pending = false;
        }
      }
    },
    [flowId],
  );

  function restart() {
    generation.current++;
    state.current = null;
    setTurns([]);
    setPending(false);
    latest.current.pending = false;
    onActiveState(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends; Shift+Enter is a new line; Enter while composing (IME) belongs to the composition.
    if (e.key !== "Enter" || e.shiftKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    void send(text);
  }

  return (
    <section className={styles.panel} data-testid="try-it" aria-label="Try it">
      <div className="row">
        <p className="muted" style={{ margin: 0, flex: 1 }}>
          Chat with this draft as a customer would. Nothing is saved or counted in analytics.
        </p>
        <button type="button" className="secondary" data-testid="try-it-restart" onClick={restart}>
          Restart
        </button>
      </div>
      <div className={styles.log} ref={logRef} aria-live="polite" data-testid="try-it-transcript">
        {turns.length === 0 ? <p className="muted">Say something to start, for example “Hi”.</p> : null}
        {turns.map((turn) => (
          <TryItTurnView key={turn.id} turn={turn} onSend={send} />
        ))}
        {pending ? <p className="muted">…</p> : null}
      </div>
      {valid ? null : (
        <p className="alert" role="status" data-testid="try-it-disabled">
          Fix the errors listed below to try this draft
        </p>
      )}
      <form
        className={styles.compose}
        onSubmit={(e) => {
          e.preventDefault();
          void send(text);
        }}
      >
        <textarea
          data-testid="try-it-input"
          aria-label="Message to the bot"
          placeholder="Type a message… (Enter sends, Shift+Enter for a new line)"
          rows={2}
          value={text}
          disabled={!valid}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" data-testid="try-it-send" disabled={!valid || pending || !text.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
