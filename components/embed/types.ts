/** Shapes of the widget API (/api/widget/{key}/…) as the embedded widget reads them, and the loader ↔ chat contract. */

export type WidgetPosition = "left" | "right";

/** The `data` of GET config. */
export type WidgetConfig = {
  title: string;
  welcome_message: string;
  brand_color: string;
  text_color?: string;
  position: WidgetPosition;
  avatar_url?: string | null;
  launcher_text?: string | null;
  require_verified_identity?: boolean;
};

/** What the host page tells us about a signed-in user (`identify`). */
export type Identity = { user_id?: string; user_hash?: string; name?: string; email?: string };

/** The `data` of POST session. */
export type SessionData = { visitor_token: string; expires_at: string; verified: boolean; conversation_id: string | null };

export type CarouselItem = { title: string; subtitle?: string; image_url?: string; payload?: string; url?: string };

/** A bot (or agent) message's content. */
export type BotContent = { type: "text" | "carousel" | "handoff"; text: string; quick_replies?: string[]; items?: CarouselItem[] };

export type AttachmentContent = { type: "image" | "file"; url: string; mime_type: string; size_bytes: number; filename?: string; caption?: string };
/** A visitor message's content. */
export type VisitorContent = { type: "text"; text: string } | AttachmentContent;

export type Author = "visitor" | "bot" | "agent";

/** One message of GET history. */
export type HistoryMessage = {
  sequence: number;
  direction: "inbound" | "outbound";
  author: Author;
  agent_name: string | null;
  content: BotContent | VisitorContent;
  created_at: string;
};

export type HistoryData = { conversation_id: string | null; status: string | null; messages: HistoryMessage[] };

/** The `data` of POST uploads. */
export type UploadData = { attachment_id: string; url: string; mime_type: string; size_bytes: number; filename: string };

/** The `data` of POST messages (and of the `done` event of a streamed answer). */
export type ReplyData = { conversation_id: string; messages: BotContent[] };

/** What the visitor's session allows: `blocked` is the server's words when this visitor may not chat. */
export type SessionState = { ready: boolean; blocked: string | null; conversationId: string | null };

export type WidgetEventName = "ready" | "open" | "close" | "message";
/** The detail of a `message` event: every message shown after load (the visitor's, the bot's, an agent's). */
export type MessageEventDetail = { key: string; direction: "inbound" | "outbound"; text: string; message: BotContent | VisitorContent };
