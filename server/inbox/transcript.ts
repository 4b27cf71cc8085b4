import { and, asc, eq, gt } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { conversationEvents, conversations, messages, outboxMessages, users, type ConversationEventKind, type ConversationStatus } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { deliveryErrorOf, deliveryStatusOf, outboxColumns, outboxJoin } from "../outbox/delivery-view";
import { queryRows } from "@/db/query-rows";
import { loadFlowRuntime } from "../pipeline/flow-runtime";
import { getEndUserProfile, type EndUserProfile } from "./end-user-profile";
import { mergeEntries } from "./transcript-order";
import type { Agent } from "./handoff-agents";
import { inboundMetadataSchema, outboundMetadataSchema } from "./inbox-schemas";
import { authorOf, contentView, type MessageAuthor, type MessageContentView } from "./message-view";

/** What the bot did on a turn: shown beside its first reply. */
export type BotTurnDetails = {
  state: string | null;
  intent: string | null;
  confidence: number | null;
  slots: Record<string, unknown>;
  model: string | null;
  cost_cents: number | null;
};

export type TranscriptMessage = {
  kind: "message";
  id: string;
  sequence: number;
  at: string;
  channel: string;
  direction: "inbound" | "outbound";
  author: MessageAuthor;
  /** The person who wrote an agent reply. */
  agent: { email: string; name: string | null } | null;
  delivery_status: string | null;
  /** Why a reply to a messaging channel did not arrive (delivery_status "failed"); absent on an agent's reply shown before the server's copy. */
  delivery_error?: string | null;
  content: MessageContentView;
  bot: BotTurnDetails | null;
};

export type TranscriptEvent = {
  kind: "event";
  id: string;
  at: string;
  event: ConversationEventKind;
  from_status: ConversationStatus | null;
  to_status: ConversationStatus | null;
  /** The member's name when they have one, else the stored label (an email, "bot", "away timer", "API"). */
  actor: string;
  note: string | null;
  resume_state: string | null;
};

export type TranscriptEntry = TranscriptMessage | TranscriptEvent;

export type TranscriptConversation = {
  id: string;
  status: ConversationStatus;
  channel: string;
  end_user_label: string;
  assigned_agent: Agent | null;
  current_state: string | null;
  primary_intent: string | null;
  sandbox: boolean;
  created_at: string;
  last_sequence: number;
};

export type Transcript = { conversation: TranscriptConversation; entries: TranscriptEntry[]; profile: EndUserProfile };

const record = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

async function requireConversation(db: Db, tenantId: string, conversationId: string) {
  const [row] = await db
    .select({ conversation: conversations, agentEmail: users.email, agentName: users.name })
    .from(conversations)
    .leftJoin(users, eq(users.id, conversations.assignedTo))
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.");
  return row;
}

/** The conversation's messages after `afterSequence`, in order, each bot reply with its turn's inbound at hand. */
export async function messagesAfter(db: Db, tenantId: string, conversationId: string, afterSequence: number): Promise<TranscriptMessage[]> {
  const inbound = alias(messages, "turn_inbound");
  const rows = await db
    .select({ m: messages, inboundIntent: inbound.intent, inboundMetadata: inbound.metadata, inboundSequence: inbound.sequence, ...outboxColumns })
    .from(messages)
    .leftJoin(inbound, and(eq(inbound.id, messages.replyTo), eq(inbound.tenantId, tenantId)))
    .leftJoin(outboxMessages, outboxJoin(tenantId))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.tenantId, tenantId), gt(messages.sequence, afterSequence)))
    .orderBy(asc(messages.sequence));
  return rows.map(({ m, inboundIntent, inboundMetadata, inboundSequence, ...outbox }) => {
    const author = authorOf(m);
    const out = m.direction === "outbound" ? outboundMetadataSchema.safeParse(m.metadata).data : undefined;
    const turn = inboundMetadataSchema.safeParse(inboundMetadata).data?.result;
    // A turn's replies directly follow its inbound message; its details go on the first of them.
    const firstReply = author === "bot" && inboundSequence !== null && m.sequence === inboundSequence + 1;
    return {
      kind: "message",
      id: m.id,
      sequence: m.sequence,
      at: m.createdAt.toISOString(),
      channel: m.channel,
      direction: m.direction,
      author,
      agent: author === "agent" && out?.agent_email ? { email: out.agent_email, name: out.agent_name ?? null } : null,
      delivery_status: m.direction === "outbound" ? deliveryStatusOf(outbox, out?.delivery_status ?? null) : null,
      delivery_error: deliveryErrorOf(outbox),
      content: contentView(m),
      bot: firstReply
        ? {
            state: out?.state ?? turn?.conversation_state?.current_state ?? null,
            intent: inboundIntent,
            confidence: turn?.processing_metadata?.intent?.confidence ?? out?.confidence ?? null,
            slots: turn?.conversation_state?.slots ?? {},
            model: out?.model_used ?? null,
            cost_cents: out?.cost_cents ?? null,
          }
        : null,
    } satisfies TranscriptMessage;
  });
}

/** The conversation's events (status changes and internal notes) written after `since`, oldest first. */
export async function eventsSince(db: Db, tenantId: string, conversationId: string, since: Date | null): Promise<TranscriptEvent[]> {
  const e = conversationEvents;
  const rows = await db
    .select({ event: e, actorName: users.name })
    .from(e)
    .leftJoin(users, eq(users.id, e.actorUserId))
    .where(and(eq(e.conversationId, conversationId), eq(e.tenantId, tenantId), since ? gt(e.createdAt, since) : undefined))
    .orderBy(asc(e.createdAt), asc(e.id));
  return rows.map(({ event, actorName }) => {
    const resume = record(event.detail).resume_state;
    return {
      kind: "event",
      id: event.id,
      at: event.createdAt.toISOString(),
      event: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      actor: actorName ?? event.actorLabel,
      note: event.note,
      resume_state: typeof resume === "string" ? resume : null,
    } satisfies TranscriptEvent;
  });
}

export async function getTranscript(db: Db, tenantId: string, conversationId: string): Promise<Transcript> {
  const { conversation: c, agentEmail, agentName } = await requireConversation(db, tenantId, conversationId);
  const state = record(c.state);
  const [msgs, events, profile] = await Promise.all([
    messagesAfter(db, tenantId, conversationId, 0),
    eventsSince(db, tenantId, conversationId, null),
    getEndUserProfile(db, tenantId, c.endUserId, state.slots),
  ]);
  return {
    conversation: {
      id: c.id,
      status: c.status,
      channel: c.channel,
      end_user_label: profile.label,
      assigned_agent: c.assignedTo && agentEmail ? { user_id: c.assignedTo, email: agentEmail, name: agentName } : null,
      current_state: typeof state.current_state === "string" ? state.current_state : null,
      primary_intent: c.primaryIntent,
      sandbox: c.sandbox,
      created_at: c.createdAt.toISOString(),
      last_sequence: c.lastSequence,
    },
    entries: mergeEntries<TranscriptEntry>(msgs, events),
    profile,
  };
}

/** Where a hand-back can resume: the conversation's flow version's states, the initial one first. */
export async function resumeStates(db: Db, tenantId: string, conversationId: string): Promise<{ initial: string; states: { name: string; type: string }[] }> {
  const { conversation } = await requireConversation(db, tenantId, conversationId);
  // The flow as the conversation's turns load it (the starter flow when it has no version).
  const { flow } = await loadFlowRuntime({ query: (statement) => queryRows(db, statement) }, tenantId, conversation.flowVersionId);
  const names = [flow.initial_state, ...Object.keys(flow.states).filter((name) => name !== flow.initial_state)];
  return { initial: flow.initial_state, states: names.filter((name) => flow.states[name]).map((name) => ({ name, type: flow.states[name]!.type })) };
}

/** Where a live transcript starts: the last message written so far (NOT_FOUND for another tenant's conversation). */
export async function lastSequenceOf(db: Db, tenantId: string, conversationId: string): Promise<number> {
  const { conversation } = await requireConversation(db, tenantId, conversationId);
  return conversation.lastSequence;
}
