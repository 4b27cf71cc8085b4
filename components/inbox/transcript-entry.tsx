import type { BotTurnDetails, TranscriptEntry, TranscriptMessage } from "@/server/inbox/transcript";
import { agentName, CHANNEL_LABELS, eventWords } from "./inbox-wording";
import styles from "./inbox.module.css";

function When({ at }: { at: string }) {
  // Read in the agent's own time zone, which the server cannot know: the browser's text wins after hydration.
  return (
    <time dateTime={at} title={at} suppressHydrationWarning>
      {new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
    </time>
  );
}

function Content({ message }: { message: TranscriptMessage }) {
  const c = message.content;
  switch (c.type) {
    case "image":
      return (
        <a href={c.url} target="_blank" rel="noopener noreferrer nofollow">
          {c.caption ? `Photo: ${c.caption}` : "Photo"}
        </a>
      );
    case "file":
      return (
        <a href={c.url} target="_blank" rel="noopener noreferrer nofollow">
          {`File: ${c.filename}`}
        </a>
      );
    case "location":
      return (
        <a href={`https://www.openstreetmap.org/?mlat=${c.latitude}&mlon=${c.longitude}#map=16/${c.latitude}/${c.longitude}`} target="_blank" rel="noopener noreferrer nofollow">
          {`Location: ${c.name ? `${c.name} ` : ""}(${c.latitude}, ${c.longitude})`}
        </a>
      );
    case "carousel":
      return (
        <>
          {c.text}
          <span className={styles.items}>
            {c.items.map((item, i) => (
              <span className={styles.item} key={i}>
                <strong>{item.title}</strong>
                {item.subtitle ? <span className="muted">{` ${item.subtitle}`}</span> : null}
              </span>
            ))}
          </span>
        </>
      );
    case "text":
      return (
        <>
          {c.text}
          {"quick_replies" in c && c.quick_replies?.length ? (
            <span className={styles.quick} aria-label="Quick replies offered">
              {c.quick_replies.map((q) => (
                <span key={q} className={styles.chip}>
                  {q}
                </span>
              ))}
            </span>
          ) : null}
        </>
      );
    default:
      return <>{c.text}</>;
  }
}

/** "state handoff · intent human_escalation 92% · slots email=… · gpt-4o-mini · 0.04¢" */
function turnLine(bot: BotTurnDetails): string {
  const parts: string[] = [];
  if (bot.state) parts.push(`state ${bot.state}`);
  if (bot.intent) parts.push(`intent ${bot.intent}${bot.confidence !== null ? ` ${Math.round(bot.confidence * 100)}%` : ""}`);
  const slots = Object.entries(bot.slots);
  if (slots.length) parts.push(`slots ${slots.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(", ")}`);
  if (bot.model) parts.push(bot.model);
  if (bot.cost_cents !== null) parts.push(`${bot.cost_cents.toFixed(bot.cost_cents < 1 ? 3 : 2)}¢`);
  return parts.join(" · ");
}

const AUTHOR = { user: "Visitor", bot: "Bot", agent: "Agent" } as const;

export function TranscriptEntryView({ entry }: { entry: TranscriptEntry }) {
  if (entry.kind === "event") {
    if (entry.event === "note") {
      return (
        <div className={styles.note} data-testid="transcript-note">
          <div className={styles.noteLabel}>Internal note</div>
          <div>{entry.note}</div>
          <div className={styles.small}>
            {`${entry.actor} · `}
            <When at={entry.at} />
          </div>
        </div>
      );
    }
    return (
      <div className={styles.event} data-testid="transcript-event" data-event={entry.event}>
        {`${eventWords(entry)} · `}
        <When at={entry.at} />
      </div>
    );
  }
  const who = entry.author === "agent" && entry.agent ? agentName(entry.agent) : AUTHOR[entry.author];
  return (
    <div className={styles.message} data-testid="transcript-message" data-author={entry.author} data-message-id={entry.id}>
      <div className={styles.small}>
        {`${who} · ${CHANNEL_LABELS[entry.channel] ?? entry.channel} · `}
        <When at={entry.at} />
        {entry.delivery_status ? ` · ${entry.delivery_status}` : ""}
        {entry.delivery_error ? <span data-testid="delivery-error">{`: ${entry.delivery_error}`}</span> : null}
      </div>
      <div className={styles.bubble}>
        <Content message={entry} />
      </div>
      {entry.bot ? (
        <div className={styles.small} data-testid="bot-turn-details">
          {turnLine(entry.bot)}
        </div>
      ) : null}
    </div>
  );
}
