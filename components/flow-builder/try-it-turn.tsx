"use client";
import { memo } from "react";
import type { TryItResult } from "@/server/flow-store/try-it";
import type { BotMessage } from "@/server/flows/bot-message";
import type { CarouselItem } from "@/server/flows/flow-schema";
import styles from "./try-it-panel.module.css";

export type TryItTurn = { id: string; text: string } & ({ result: TryItResult } | { failure: string });

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

/** Only web links become links: a `javascript:` or `data:` URL in a tenant's carousel must never be clickable. */
function webUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function Card({ item, onSend }: { item: CarouselItem; onSend(text: string): void }) {
  const image = webUrl(item.image_url);
  const link = webUrl(item.payload);
  // The dashboard's CSP loads no third-party images, so the card links to its image instead of showing it.
  return (
    <div className="item">
      <strong>{item.title}</strong>
      {item.subtitle ? <div className="muted">{item.subtitle}</div> : null}
      {image ? (
        <div>
          <a href={image} target="_blank" rel="noopener noreferrer nofollow">
            Image
          </a>
        </div>
      ) : null}
      {link ? (
        <a href={link} target="_blank" rel="noopener noreferrer nofollow">
          Open link
        </a>
      ) : item.payload ? (
        <div className="quick">
          <button type="button" onClick={() => onSend(item.payload!)}>
            Choose
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Every text is rendered as a text node: what the flow's author or a customer wrote never becomes HTML. */
function Message({ message, onSend }: { message: BotMessage; onSend(text: string): void }) {
  return (
    <div className="bubble bot" data-testid="try-it-response">
      {message.type === "handoff" ? <span className="badge">Handed to a person{message.queue ? ` · ${message.queue}` : ""}</span> : null}
      {message.type === "handoff" ? " " : null}
      {message.text}
      {message.type === "carousel" ? (
        <div className="carousel">
          {message.items.map((item, i) => (
            <Card key={i} item={item} onSend={onSend} />
          ))}
        </div>
      ) : null}
      {message.type === "text" && message.quick_replies?.length ? (
        <div className="quick">
          {message.quick_replies.map((reply) => (
            <button key={reply} type="button" onClick={() => onSend(reply)}>
              {reply}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

const transitionWords = (transition: string) => transition.replace(":", ": ").replace(/_/g, " ");

function Details({ result }: { result: TryItResult }) {
  const { trace, intent, slots, status } = result;
  const slotEntries = Object.entries(slots);
  return (
    <details open className={styles.details} data-testid="try-it-details">
      <summary>Details</summary>
      <dl className="facts">
        <dt>Path</dt>
        <dd data-testid="try-it-path">
          {trace.length === 0
            ? "No state ran"
            : trace.map((step, i) => (
                <span key={i}>
                  {i > 0 ? " → " : null}
                  <code>{step.state}</code>
                  {step.transition ? <span className="muted"> ({transitionWords(step.transition)})</span> : null}
                </span>
              ))}
        </dd>
        <dt>Intent</dt>
        <dd data-testid="try-it-intent">
          {intent.name ? `${intent.name} · ${percent(intent.confidence)}` : "None recognised"}
          {intent.alternatives.length ? <span className="muted"> · also {intent.alternatives.map((a) => `${a.intent} ${percent(a.confidence)}`).join(", ")}</span> : null}
        </dd>
        <dt>Slots</dt>
        <dd data-testid="try-it-slots">
          {slotEntries.length === 0
            ? "None yet"
            : slotEntries.map(([name, value]) => (
                <div key={name}>
                  <code>{name}</code> = {typeof value === "string" ? value : JSON.stringify(value)}
                </div>
              ))}
        </dd>
        {result.modelUsed ? (
          <>
            <dt>Model</dt>
            <dd>{result.modelUsed}</dd>
          </>
        ) : null}
      </dl>
      {result.error ? (
        <p className="alert" role="alert">
          {result.error}
        </p>
      ) : null}
      {status === "ended" ? <p className="muted">The conversation ended here; the next message starts again from the initial state.</p> : null}
      {status === "escalated" ? <p className="muted">A person takes over from here in a real conversation. Restart to try again.</p> : null}
    </details>
  );
}

/** One exchange: what was said, the bot's messages, and how the engine got there. Memoized: typing elsewhere does not redraw the transcript. */
export const TryItTurnView = memo(function TryItTurnView({ turn, onSend }: { turn: TryItTurn; onSend(text: string): void }) {
  return (
    <>
      <div className="bubble user">{turn.text}</div>
      {"failure" in turn ? (
        <div className="bubble bot error" role="alert">
          {turn.failure}
        </div>
      ) : (
        <>
          {turn.result.messages.map((message, i) => (
            <Message key={i} message={message} onSend={onSend} />
          ))}
          <Details result={turn.result} />
        </>
      )}
    </>
  );
});
