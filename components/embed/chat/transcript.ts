import type { BotContent, HistoryMessage, VisitorContent } from "../types";

/** One row of the chat log. */
export type Entry =
  | { id: string; kind: "visitor"; content: VisitorContent }
  | { id: string; kind: "bot"; author: "bot" | "agent"; agentName: string | null; content: BotContent; busy?: boolean; cutOff?: boolean }
  /** A change of who is answering (chat-notice). */
  | { id: string; kind: "notice"; text: string }
  /** A reply that broke off (stream-error) or a message that could not be sent (send-error). */
  | { id: string; kind: "error"; text: string; testId: "stream-error" | "send-error" };

let counter = 0;
export const entryId = () => `e${++counter}`;

/** A visitor's message as the widget shows it: an upload, or its words (other channels' kinds, like a location, as text). */
function visitorContent(content: HistoryMessage["content"]): VisitorContent {
  if ((content.type === "image" || content.type === "file") && "url" in content) return content;
  const text = (content as { text?: unknown }).text;
  return { type: "text", text: typeof text === "string" ? text : "" };
}

/** Content read from the server, with only the fields we render, so a malformed row cannot break the log. */
export function botContent(raw: Partial<BotContent> | undefined): BotContent {
  const type = raw?.type === "carousel" || raw?.type === "handoff" ? raw.type : "text";
  return {
    type,
    text: typeof raw?.text === "string" ? raw.text : "",
    ...(Array.isArray(raw?.quick_replies) ? { quick_replies: raw.quick_replies.filter((q) => typeof q === "string") } : {}),
    ...(Array.isArray(raw?.items) ? { items: raw.items.filter((i) => i && typeof i.title === "string") } : {}),
  };
}

export function entriesFromHistory(messages: HistoryMessage[]): Entry[] {
  return messages.map((m): Entry => {
    const id = `h${m.sequence}`;
    if (m.author === "visitor") return { id, kind: "visitor", content: visitorContent(m.content) };
    return { id, kind: "bot", author: m.author === "agent" ? "agent" : "bot", agentName: m.agent_name, content: botContent(m.content as BotContent) };
  });
}

/** The text a `message` event carries: what was written, or the file's name. */
export function textOf(content: BotContent | VisitorContent): string {
  return "url" in content ? (content.caption ?? content.filename ?? "") : content.text;
}

/** What the visitor is told when the conversation changes hands; nothing for changes they need not hear about. */
export function statusNotice(status: string, agentName: string | null, previous: string | null): string | null {
  if (status === previous) return null;
  if (status === "with_agent") return `${agentName ?? "A member of our team"} joined the conversation`;
  if (status === "in_progress" && (previous === "with_agent" || previous === "escalated")) return "You're back with the assistant";
  if (status === "resolved") return "This conversation was closed";
  return null;
}
