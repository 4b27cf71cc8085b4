import { z } from "zod";
import { CONVERSATION_STATUSES } from "@/db/schema";

/** The shapes the conversation read endpoints answer with (the OpenAPI document is generated from them). */
const jsonObject = z.record(z.string(), z.unknown());

export const storedMessageSchema = z.object({
  id: z.uuid(),
  /** The client's message_id for inbound messages. */
  message_id: z.string().nullable(),
  sequence: z.number().int(),
  direction: z.enum(["inbound", "outbound"]),
  channel: z.string(),
  content_type: z.string(),
  content: z.unknown(),
  text: z.string().nullable(),
  intent: z.string().nullable(),
  /** Who wrote it: the end user, the bot, or a person of the tenant's team (an agent reply from the inbox or the API). */
  author: z.enum(["user", "bot", "agent"]),
  /** Outbound messages: queued → sent → delivered → read, or failed; null for inbound ones. */
  delivery_status: z.string().nullable(),
  created_at: z.iso.datetime({ offset: true }),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

export const conversationSchema = z.object({
  conversation_id: z.uuid(),
  user_id: z.string(),
  channel: z.string(),
  channels: z.array(z.string()),
  message_count: z.number().int(),
  /** The latest messages, oldest first. */
  messages: z.array(storedMessageSchema),
  context: jsonObject,
  summary: z.object({ primary_intent: z.string().nullable(), resolution_status: z.enum(CONVERSATION_STATUSES) }),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
});
export type ConversationDetail = z.infer<typeof conversationSchema>;

export const historyPageSchema = z.object({
  conversation_id: z.uuid(),
  messages: z.array(storedMessageSchema),
  page: z.number().int(),
  page_size: z.number().int(),
  total_messages: z.number().int(),
  has_next: z.boolean(),
  has_previous: z.boolean(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

export const searchResultsSchema = z.object({
  query: z.string(),
  results: z.array(storedMessageSchema.extend({ conversation_id: z.uuid() })),
  count: z.number().int(),
});
export type SearchResults = z.infer<typeof searchResultsSchema>;
