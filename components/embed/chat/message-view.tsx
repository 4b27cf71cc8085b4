/** @jsxImportSource preact */
import type { BotContent, CarouselItem, VisitorContent } from "../types";
import { linkify, safeUrl } from "./safe-url";
import type { Entry } from "./transcript";

// Every string here is rendered as a text node (Preact escapes it); only http(s) URLs become an href or src.

const external = { target: "_blank", rel: "noopener noreferrer nofollow" } as const;

function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} {...external}>
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function VisitorBody({ content, base }: { content: VisitorContent; base: string }) {
  if (content.type === "text") return <>{content.text}</>;
  const url = safeUrl(content.url, base);
  const name = content.filename ?? (content.type === "image" ? "Image" : "File");
  return (
    <>
      {content.type === "image" && url ? <img class="thumb" src={url} alt={name} /> : url ? <a href={url} {...external}>{name}</a> : name}
      {content.caption ? <div>{content.caption}</div> : null}
    </>
  );
}

// A link that is not http(s) is shown as the text it is; a value that is no link at all (a SKU, an unfilled
// template) is not for people.
const looksLikeLink = (value: string | undefined) => value !== undefined && /^\s*[a-z][a-z0-9+.-]*:/i.test(value);

function Card({ item }: { item: CarouselItem }) {
  const image = safeUrl(item.image_url);
  const target = item.url ?? item.payload;
  const link = safeUrl(target);
  return (
    <li class="card">
      {image ? <img src={image} alt="" /> : looksLikeLink(item.image_url) ? <p class="raw">{item.image_url}</p> : null}
      <p class="t">{item.title}</p>
      {item.subtitle ? <p class="s">{item.subtitle}</p> : null}
      {link ? (
        <a href={link} {...external}>
          View<span class="sr"> {item.title}</span>
        </a>
      ) : looksLikeLink(target) ? (
        <p class="raw">{target}</p>
      ) : null}
    </li>
  );
}

function BotExtras({ content, onQuickReply }: { content: BotContent; onQuickReply?: (text: string) => void }) {
  return (
    <>
      {content.items?.length ? (
        <ul class="cards" aria-label="Suggestions" tabIndex={0}>
          {content.items.map((item, i) => (
            <Card key={i} item={item} />
          ))}
        </ul>
      ) : null}
      {onQuickReply && content.quick_replies?.length ? (
        <div class="quick" role="group" aria-label="Suggested replies">
          {content.quick_replies.map((reply) => (
            <button key={reply} type="button" onClick={() => onQuickReply(reply)}>
              {reply}
            </button>
          ))}
        </div>
      ) : null}
    </>
  );
}

/** One row of the log. Quick replies are offered on the latest message only (`onQuickReply`). */
export function EntryView({ entry, base, onQuickReply }: { entry: Entry; base: string; onQuickReply?: (text: string) => void }) {
  if (entry.kind === "notice") return <div class="notice" data-testid="chat-notice">{entry.text}</div>;
  if (entry.kind === "error") return <div class="err" data-testid={entry.testId}>{entry.text}</div>;
  if (entry.kind === "visitor") {
    return (
      <div class="row me">
        <div class="bubble" data-testid="user-message">
          <VisitorBody content={entry.content} base={base} />
        </div>
      </div>
    );
  }
  return (
    <div class="row">
      {entry.author === "agent" ? <div class="agent" data-testid="agent-name">{entry.agentName ?? "Support team"}</div> : null}
      <div class="bubble" data-testid="bot-response" aria-busy={entry.busy ? "true" : undefined} data-cut-off={entry.cutOff ? "true" : undefined}>
        <RichText text={entry.content.text} />
      </div>
      <BotExtras content={entry.content} onQuickReply={onQuickReply} />
    </div>
  );
}
