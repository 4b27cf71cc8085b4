import { z } from "zod";
import type { ConversationStatus } from "@/db/schema/conversations";
import { CHANNEL_TYPES } from "@/db/schema/channels";
import { storable } from "../http/text";

/** The inbox's words for the statuses (URL values and labels); the database keeps its own names. */
export const INBOX_STATUSES = {
  bot: { status: "in_progress", label: "Bot" },
  waiting: { status: "escalated", label: "Waiting for agent" },
  with_agent: { status: "with_agent", label: "With agent" },
  resolved: { status: "resolved", label: "Resolved" },
} as const satisfies Record<string, { status: ConversationStatus; label: string }>;
export type InboxStatus = keyof typeof INBOX_STATUSES;
const INBOX_STATUS_KEYS = Object.keys(INBOX_STATUSES) as [InboxStatus, ...InboxStatus[]];

export const statusLabel = (status: ConversationStatus): string => Object.values(INBOX_STATUSES).find((s) => s.status === status)!.label;

export const INBOX_PAGE_SIZE = 50;

/**
 * The inbox's filters, shaped as its URL query (every value a string), so the page's search params, the tRPC
 * input and the live stream's query all parse with this one schema. Analytics drill-downs link with these names.
 */
export const inboxFiltersSchema = z.object({
  status: z.enum(INBOX_STATUS_KEYS).meta({ title: "Status" }).optional(),
  channel: z.enum(CHANNEL_TYPES).meta({ title: "Channel" }).optional(),
  intent: storable(z.string().trim().min(1).max(100).meta({ title: "Intent" })).optional(),
  from: z.iso.date().meta({ title: "From" }).optional(),
  to: z.iso.date().meta({ title: "To" }).optional(),
  assigned: z.union([z.literal("me"), z.literal("unassigned"), z.uuid()]).meta({ title: "Assigned agent" }).optional(),
  state: storable(z.string().trim().min(1).max(100).meta({ title: "Flow state" })).optional(),
  not_understood: z.stringbool().meta({ title: "Not understood" }).optional(),
  q: storable(z.string().trim().min(1).max(200).meta({ title: "Search" })).optional(),
  /** "waiting" lists the queue longest-waiting first; otherwise the most recently active first. */
  sort: z.enum(["recent", "waiting"]).meta({ title: "Sort" }).optional(),
});
export type InboxFiltersInput = z.input<typeof inboxFiltersSchema>;
export type InboxFilters = z.output<typeof inboxFiltersSchema>;
export const INBOX_FILTER_KEYS = Object.keys(inboxFiltersSchema.shape) as (keyof InboxFiltersInput)[];

export const inboxListInputSchema = inboxFiltersSchema.extend({
  cursor: z.string().max(200).meta({ title: "Cursor" }).optional(),
});

/** The filters a URL carries: blank fields of a submitted form and unknown keys are dropped; a repeated key keeps its first value. */
export function filtersFromSearchParams(params: Record<string, string | string[] | undefined>): InboxFiltersInput {
  const out: Record<string, string> = {};
  for (const key of INBOX_FILTER_KEYS) {
    const raw = params[key];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) out[key] = value;
  }
  return out as InboxFiltersInput;
}

export function filtersToSearchParams(filters: InboxFiltersInput): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of INBOX_FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

export const conversationIdInputSchema = z.object({ conversationId: z.uuid().meta({ title: "Conversation" }) });

/*
 * Message metadata as the pipeline and the handoff service write it (common conventions). Read back leniently:
 * rows written before a field existed lack it, and a missing detail is shown as absent, never as an error.
 */
const jsonObject = z.record(z.string(), z.unknown());
export const inboundMetadataSchema = z.looseObject({
  result: z
    .looseObject({
      conversation_state: z.looseObject({ current_state: z.string().optional(), slots: jsonObject.optional() }).optional(),
      processing_metadata: z.looseObject({ intent: z.looseObject({ confidence: z.number().optional() }).optional() }).optional(),
    })
    .optional(),
  channel_metadata: jsonObject.optional(),
  states: z.array(z.string()).optional(),
  not_understood: z.boolean().optional(),
});
export const outboundMetadataSchema = z.looseObject({
  author: z.enum(["bot", "agent"]).optional(),
  state: z.string().optional(),
  model_used: z.string().nullable().optional(),
  cost_cents: z.number().optional(),
  processing_time_ms: z.number().optional(),
  delivery_status: z.string().optional(),
  confidence: z.number().optional(),
  agent_user_id: z.string().nullable().optional(),
  agent_email: z.string().optional(),
  agent_name: z.string().nullable().optional(),
});

/** The live stream's query: the list's filters, where to start, and optionally the open transcript. */
export const inboxStreamQuerySchema = inboxFiltersSchema.extend({
  since: z.iso.datetime({ offset: true }).meta({ title: "Since" }).optional(),
  conversation: z.uuid().meta({ title: "Conversation" }).optional(),
  after_sequence: z.coerce.number().int().min(0).meta({ title: "After sequence" }).optional(),
});
