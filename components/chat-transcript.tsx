import type { BotMessage } from "@/server/flows/engine";

export type ChatEntry = { id: string; from: "user"; text: string } | { id: string; from: "bot"; message: BotMessage } | { id: string; from: "error"; text: string };

/** Renders as text nodes only: end-user and bot content is never injected as HTML. */
export function ChatTranscript({ entries, onQuickReply }: { entries: ChatEntry[]; onQuickReply?: (text: string) => void }) {
  return (
    <>
      {entries.map((entry) => {
        if (entry.from === "user") return <div key={entry.id} className="bubble user">{entry.text}</div>;
        if (entry.from === "error") return <div key={entry.id} className="bubble bot error" role="alert">{entry.text}</div>;
        const m = entry.message;
        return (
          <div key={entry.id} className="bubble bot" data-testid="bot-response">
            {m.text}
            {m.type === "carousel" ? (
              <div className="carousel">
                {m.items.map((item, i) => (
                  <div className="item" key={i}>
                    <strong>{item.title}</strong>
                    {item.subtitle ? <div className="muted">{item.subtitle}</div> : null}
                  </div>
                ))}
              </div>
            ) : null}
            {m.type === "text" && m.quick_replies?.length && onQuickReply ? (
              <div className="quick">
                {m.quick_replies.map((q) => (
                  <button key={q} type="button" onClick={() => onQuickReply(q)}>
                    {q}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
        );
      })}
    </>
  );
}
