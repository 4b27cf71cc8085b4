import { z } from "zod";
import { botMessageSchema } from "../flows/bot-message";
import { messageContentSchema } from "../pipeline/message-schema";
import { outboundMetadataSchema } from "./inbox-schemas";

export type MessageAuthor = "user" | "bot" | "agent";

/** What a stored message shows: the visitor's content (text, attachment, location) or a reply (text, quick replies, carousel, handoff). */
export const messageContentViewSchema = z.union([messageContentSchema, botMessageSchema]);
export type MessageContentView = z.infer<typeof messageContentViewSchema>;

type StoredRow = { direction: "inbound" | "outbound"; content: unknown; text: string | null; metadata: unknown };

export function authorOf(row: Pick<StoredRow, "direction" | "metadata">): MessageAuthor {
  if (row.direction === "inbound") return "user";
  return outboundMetadataSchema.safeParse(row.metadata).data?.author === "agent" ? "agent" : "bot";
}

/** The stored content parsed with the schema that wrote it; a row no schema accepts shows its text. */
export function contentView(row: Pick<StoredRow, "direction" | "content" | "text">): MessageContentView {
  const schema = row.direction === "inbound" ? messageContentSchema : botMessageSchema;
  return schema.safeParse(row.content).data ?? { type: "text", text: row.text ?? "" };
}

/** One line for the inbox list: the words when there are any, else what was sent. */
export function previewOf(content: MessageContentView): string {
  switch (content.type) {
    case "image":
      return content.caption ? `Photo: ${content.caption}` : "Photo";
    case "file":
      return `File: ${content.filename}`;
    case "location":
      return content.name ? `Location: ${content.name}` : "Location";
    default:
      return content.text;
  }
}
