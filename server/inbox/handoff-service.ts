import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, type ConversationStatus } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { summarizeIssues } from "../errors/zod-messages";
import { enqueueReply } from "../outbox/enqueue";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { publishConversationChange } from "../realtime/conversation-bus";
import { applyChange, lockConversation, type ConversationChange, type LockedConversation } from "./conversation-lock";
import { agentLabel, memberAgent, type Agent } from "./handoff-agents";
import { conversationFlow, endedState, heldState, resumedState, resumeStateOf } from "./handoff-flow";
import { agentTextSchema, type AgentMessageMetadata, type AgentMessageView, type HandoffView, type NoteView } from "./handoff-schemas";

export type { AgentMessageView, HandoffView } from "./handoff-schemas";
export { fireAwayTimeouts } from "./away-timeouts";

/** Who acts: a member (userId) or, through the API, no member; `label` is how the event shows them ("ann@acme.test", "API"). */
export type Actor = { userId: string | null; label: string };

/** `queued`: a reply went into the outbox, so the delivery workers are woken once it is committed. */
type Outcome<T> = { value: T; changed: boolean; queued?: boolean };

/** Runs `body` on the locked conversation and tells live readers (and the delivery workers) once the change is committed. */
async function withConversation<T>(db: Db, tenantId: string, conversationId: string, body: (tx: Db, c: LockedConversation) => Promise<Outcome<T>>): Promise<T> {
  const { value, changed, queued } = await db.transaction(async (tx) => body(tx, await lockConversation(tx, tenantId, conversationId)));
  if (changed) publishConversationChange(tenantId, conversationId);
  if (queued) wakeDeliveryWorkers("outbox");
  return value;
}

function parsedText(text: string, field: string): string {
  const parsed = agentTextSchema.safeParse(text);
  if (!parsed.success) throw new AppError("VALIDATION_ERROR", summarizeIssues(parsed.error), { field, fields: { [field]: summarizeIssues(parsed.error) } });
  return parsed.data;
}

/** Taking and replying need a member of the workspace: it is their name the conversation shows. */
async function actingAgent(tx: Db, tenantId: string, actor: Actor): Promise<Agent> {
  const agent = actor.userId ? await memberAgent(tx, tenantId, actor.userId) : null;
  if (!agent) throw new AppError("FORBIDDEN", "Only a member of this workspace can take or reply to a conversation.", { field: "agent_email" });
  return agent;
}

async function assignedAgent(tx: Db, c: LockedConversation): Promise<Agent | null> {
  return c.assignedTo ? memberAgent(tx, c.tenantId, c.assignedTo) : null;
}

/** Refuses when another member has the conversation, naming them so the agent knows whom to ask. */
async function refuseIfHeldByOther(tx: Db, c: LockedConversation, agent: Agent): Promise<void> {
  if (c.status !== "with_agent" || c.assignedTo === agent.user_id) return;
  const holder = await assignedAgent(tx, c);
  throw new AppError("CONFLICT", holder ? `${agentLabel(holder)} has this conversation.` : "Another member has this conversation.", {
    assigned_agent: holder,
  });
}

/** The view after `change`; the locked row plus what the change set, so no read-back is needed. */
function viewOf(c: LockedConversation, change: ConversationChange, agent: Agent | null, now: Date): HandoffView {
  const status = change.status ?? c.status;
  const state = change.state ?? c.state;
  return {
    conversation_id: c.id,
    status,
    assigned_agent: agent,
    current_state: state?.current_state ?? null,
    status_changed_at: (status !== c.status ? now : c.statusChangedAt).toISOString(),
  };
}

const actorOf = (actor: Actor) => ({ actorUserId: actor.userId, actorLabel: actor.label });

/** The change that gives the conversation to `agent`: the bot falls silent, and the event says who took it from which status. */
function takeChange(c: LockedConversation, agent: Agent, actor: Actor): ConversationChange {
  const kind = c.status === "resolved" ? "reopened" : "taken";
  return { status: "with_agent", assignedTo: agent.user_id, state: heldState(c.state) ?? undefined, handedOff: true, events: [{ kind, ...actorOf(actor) }] };
}

export async function takeConversation(db: Db, tenantId: string, conversationId: string, actor: Actor, now = new Date()): Promise<HandoffView> {
  return withConversation(db, tenantId, conversationId, async (tx, c) => {
    const agent = await actingAgent(tx, tenantId, actor);
    await refuseIfHeldByOther(tx, c, agent);
    if (c.status === "with_agent") return { value: viewOf(c, {}, agent, now), changed: false };
    if (c.status === "resolved") throw new AppError("CONFLICT", "This conversation is resolved. Send the visitor a reply to reopen it.");
    const change = takeChange(c, agent, actor);
    await applyChange(tx, c, change, now);
    return { value: viewOf(c, change, agent, now), changed: true };
  });
}

const RELEASABLE: readonly ConversationStatus[] = ["with_agent", "escalated"];

export async function releaseConversation(db: Db, tenantId: string, conversationId: string, actor: Actor, opts: { resumeState?: string } = {}, now = new Date()): Promise<HandoffView> {
  return withConversation(db, tenantId, conversationId, async (tx, c) => {
    if (!RELEASABLE.includes(c.status)) {
      throw new AppError("CONFLICT", c.status === "resolved" ? "This conversation is resolved; there is nothing to hand back." : "The bot already has this conversation.", { status: c.status });
    }
    const flow = await conversationFlow(tx, c);
    const resumeAt = resumeStateOf(flow, opts.resumeState);
    const change: ConversationChange = { status: "in_progress", state: resumedState(flow, c.state, resumeAt), events: [{ kind: "released", ...actorOf(actor), detail: { resume_state: resumeAt } }] };
    await applyChange(tx, c, change, now);
    return { value: viewOf(c, change, await assignedAgent(tx, c), now), changed: true };
  });
}

export async function resolveConversation(db: Db, tenantId: string, conversationId: string, actor: Actor, now = new Date()): Promise<HandoffView> {
  return withConversation(db, tenantId, conversationId, async (tx, c) => {
    if (c.status === "resolved") throw new AppError("CONFLICT", "This conversation is already resolved.", { status: c.status });
    const change: ConversationChange = { status: "resolved", state: endedState(c.state) ?? undefined, resolved: true, events: [{ kind: "resolved", ...actorOf(actor) }] };
    await applyChange(tx, c, change, now);
    return { value: viewOf(c, change, await assignedAgent(tx, c), now), changed: true };
  });
}

/**
 * A person's reply to the visitor. Writing is taking: a waiting or bot conversation is taken in the same
 * transaction, and a resolved one reopens with this agent. Web replies count as delivered (the widget reads the
 * conversation live); on a conversation a messaging-channel webhook started, the reply is queued in the outbox in
 * this same transaction, and its delivery status is read from there.
 */
export async function sendAgentMessage(db: Db, tenantId: string, conversationId: string, actor: Actor, text: string, now = new Date()): Promise<AgentMessageView> {
  const words = parsedText(text, "text");
  return withConversation(db, tenantId, conversationId, async (tx, c) => {
    const agent = await actingAgent(tx, tenantId, actor);
    await refuseIfHeldByOther(tx, c, agent);
    const metadata: AgentMessageMetadata = {
      author: "agent",
      agent_user_id: agent.user_id,
      agent_email: agent.email,
      agent_name: agent.name,
      delivery_status: c.channel === "web" ? "delivered" : "queued",
    };
    const taking = c.status === "with_agent" ? {} : takeChange(c, agent, actor);
    const stored = await applyChange(tx, c, { ...taking, humanReplied: true, message: { text: words, metadata } }, now);
    const queued = c.channel !== "web" && (await enqueueReply(tx, { tenantId, conversationId: c.id, messageId: stored!.id, sequence: stored!.sequence, payload: { type: "text", text: words }, now }));
    const view: AgentMessageView = {
      message_id: stored!.id,
      conversation_id: c.id,
      sequence: stored!.sequence,
      text: words,
      author: "agent",
      agent_email: agent.email,
      delivery_status: metadata.delivery_status,
      created_at: stored!.createdAt.toISOString(),
    };
    return { value: view, changed: true, queued };
  });
}

/** An internal note: an event, never a message, so the end user cannot see it on any channel. */
export async function addNote(db: Db, tenantId: string, conversationId: string, actor: Actor, text: string, now = new Date()): Promise<NoteView> {
  const note = parsedText(text, "note");
  return withConversation(db, tenantId, conversationId, async (tx, c) => {
    const id = randomUUID();
    await applyChange(tx, c, { events: [{ id, kind: "note", ...actorOf(actor), note }] }, now);
    return { value: { id, note, actor_label: actor.label, created_at: now.toISOString() }, changed: true };
  });
}

/** Whether the member takes handed-off conversations; while nobody does, handoffs' away timers run. */
export async function setAvailability(db: Db, tenantId: string, userId: string, available: boolean): Promise<void> {
  const updated = await db
    .update(memberships)
    .set({ available })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .returning({ id: memberships.id });
  if (updated.length === 0) throw new AppError("NOT_FOUND", "Member not found.", { field: "user_id" });
}
