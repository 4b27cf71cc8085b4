import { randomUUID } from "node:crypto";
import type { ChannelType, ConversationEventKind, ConversationStatus } from "@/db/schema";
import { conversationEvents, conversations, messages } from "@/db/schema";
import { runTurn, type ConversationState, type IntegrationCaller, type LlmGenerator, type TurnResult } from "../flows/engine";
import type { FlowDefinition } from "../flows/flow-schema";
import { agentMessageMetadataSchema } from "../inbox/handoff-schemas";
import { endedState, heldState, resumedState, resumeStateOf } from "../inbox/handoff-flow";
import type { Nlu } from "../nlu/nlu";
import { chatResultOf, heardByPerson, inboundMetadata, initialDeliveryStatus, nextStatus, replyMetadata, turnFacts, turnStatusChanges } from "../pipeline/turn-record";
import type { Random } from "./seed-random";

export type SeedAgent = { userId: string; email: string; name: string | null };
export type SeedBot = { flow: FlowDefinition; nlu: Nlu; flowVersionId: string; integrations: IntegrationCaller; llm: LlmGenerator; random: Random };
export type SeedVisitor = { endUserId: string; channel: ChannelType; userName: string; returning: boolean };

type ConversationRow = typeof conversations.$inferInsert;
type MessageRow = typeof messages.$inferInsert;
type EventRow = typeof conversationEvents.$inferInsert;

/** How long the bot took: templates are quick, the store API slower, a model call slowest (40–900 ms in all). */
function processingMs(random: Random, turn: TurnResult): number {
  if (turn.model_used) return random.int(380, 900);
  if (turn.trace.some((step) => step.type === "integration")) return random.int(140, 520);
  return 40 + Math.round(random.next() ** 2 * 260);
}

/**
 * One demo conversation, built in memory turn by turn as the running app would write it: the bot's turns run
 * the real flow engine and are stored with the pipeline's metadata (server/pipeline/persist-turn.ts), and a
 * person's actions follow the inbox's rules (server/inbox/handoff-service.ts). Nothing touches the database
 * until the rows are inserted in bulk.
 */
export class SeededConversation {
  readonly id = randomUUID();
  readonly messages: MessageRow[] = [];
  readonly events: EventRow[] = [];
  private state: ConversationState | null = null;
  private status: ConversationStatus = "in_progress";
  private sequence = 0;
  private visited: string[] = [];
  private notUnderstood = 0;
  private primaryIntent: string | null = null;
  private assignedTo: string | null = null;
  private statusChangedAt: Date;
  private handedOffAt: Date | null = null;
  private firstHumanReplyAt: Date | null = null;
  private resolvedAt: Date | null = null;
  private updatedAt: Date;

  constructor(
    private readonly tenantId: string,
    private readonly bot: SeedBot,
    readonly visitor: SeedVisitor,
    private readonly createdAt: Date,
  ) {
    this.statusChangedAt = createdAt;
    this.updatedAt = createdAt;
  }

  get currentStatus(): ConversationStatus {
    return this.status;
  }

  /** The visitor writes; the bot answers unless a person has the conversation. */
  async visitorSays(text: string, at: Date): Promise<void> {
    const { flow, nlu, random } = this.bot;
    const isNew = this.sequence === 0;
    const heard = this.status === "with_agent" && this.state !== null;
    const turn: TurnResult = heard
      ? heardByPerson(this.state!)
      : await runTurn({ flow, nlu, now: at, state: this.state, input: { type: "text", text }, context: { user_name: this.visitor.userName, returning_user: isNew && this.visitor.returning }, integrations: this.bot.integrations, llm: this.bot.llm });
    const facts = turnFacts(this.status, turn, false);
    const tookMs = heard ? random.int(8, 30) : processingMs(random, turn);
    const messageId = randomUUID();
    const result = chatResultOf(turn, { messageId, conversationId: this.id, flowVersionId: this.bot.flowVersionId }, tookMs);
    const inboundId = randomUUID();
    this.push({
      id: inboundId,
      externalId: messageId,
      direction: "inbound",
      contentType: "text",
      content: { type: "text", text },
      text,
      intent: turn.intent.name,
      metadata: inboundMetadata(result, { user_id: this.visitor.endUserId, channel_metadata: { user_name: this.visitor.userName } }, facts),
      createdAt: at,
    });
    const metadataOf = replyMetadata(facts, { channel: this.visitor.channel, processingMs: tookMs, modelUsed: turn.model_used, confidence: turn.intent.confidence });
    turn.messages.forEach((reply, i) => this.push({ replyTo: inboundId, direction: "outbound", contentType: reply.type, content: reply, text: reply.text, metadata: metadataOf(i), createdAt: at }));

    const from = isNew ? null : this.status;
    const next = nextStatus(this.status, turn);
    for (const change of turnStatusChanges(from, next)) this.event(change.kind, at, { label: change.actor }, change.from, change.to);
    if (next === "escalated") this.handedOffAt ??= at;
    if (next === "resolved" && this.status !== "resolved") this.resolvedAt = at;
    this.setStatus(next, at);
    this.state = turn.state;
    this.primaryIntent ??= turn.intent.name;
    for (const state of facts.states) if (!this.visited.includes(state)) this.visited.push(state);
    if (turn.not_understood) this.notUnderstood++;
  }

  /** An agent takes the waiting conversation: assigned to them, the bot falls silent. */
  take(agent: SeedAgent, at: Date): void {
    this.event("taken", at, agent, this.status, "with_agent");
    this.assignedTo = agent.userId;
    this.state = heldState(this.state);
    this.handedOffAt ??= at;
    this.setStatus("with_agent", at);
  }

  agentSays(agent: SeedAgent, text: string, at: Date): void {
    const metadata = agentMessageMetadataSchema.parse({ author: "agent", agent_user_id: agent.userId, agent_email: agent.email, agent_name: agent.name, delivery_status: this.deliveryStatus() });
    this.push({ direction: "outbound", contentType: "text", content: { type: "text", text }, text, metadata, createdAt: at });
    this.firstHumanReplyAt ??= at;
    this.updatedAt = at;
  }

  note(agent: SeedAgent, text: string, at: Date): void {
    this.event("note", at, agent, null, null, text);
    this.updatedAt = at;
  }

  /** Hands the conversation back to the bot at the flow's initial state. */
  release(agent: SeedAgent, at: Date): void {
    const resumeAt = resumeStateOf(this.bot.flow, undefined);
    this.event("released", at, agent, this.status, "in_progress", null, { resume_state: resumeAt });
    this.state = resumedState(this.bot.flow, this.state, resumeAt);
    this.setStatus("in_progress", at);
  }

  resolve(agent: SeedAgent, at: Date): void {
    this.event("resolved", at, agent, this.status, "resolved");
    this.state = endedState(this.state);
    this.resolvedAt = at;
    this.setStatus("resolved", at);
  }

  row(): ConversationRow {
    return {
      id: this.id,
      tenantId: this.tenantId,
      endUserId: this.visitor.endUserId,
      channel: this.visitor.channel,
      flowVersionId: this.bot.flowVersionId,
      state: this.state as Record<string, unknown> | null,
      status: this.status,
      primaryIntent: this.primaryIntent,
      messageCount: this.messages.length,
      lastSequence: this.sequence,
      assignedTo: this.assignedTo,
      statusChangedAt: this.statusChangedAt,
      handedOffAt: this.handedOffAt,
      firstHumanReplyAt: this.firstHumanReplyAt,
      resolvedAt: this.resolvedAt,
      visitedStates: this.visited,
      notUnderstoodCount: this.notUnderstood,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private deliveryStatus() {
    return initialDeliveryStatus(this.visitor.channel);
  }

  private push(message: Omit<MessageRow, "tenantId" | "conversationId" | "sequence" | "channel">): void {
    this.sequence++;
    this.messages.push({ ...message, tenantId: this.tenantId, conversationId: this.id, sequence: this.sequence, channel: this.visitor.channel });
    this.updatedAt = message.createdAt ?? this.updatedAt;
  }

  private setStatus(status: ConversationStatus, at: Date): void {
    if (status !== this.status) this.statusChangedAt = at;
    this.status = status;
    this.updatedAt = at;
  }

  private event(
    kind: ConversationEventKind,
    at: Date,
    actor: { userId?: string; email?: string; label?: string },
    fromStatus: ConversationStatus | null,
    toStatus: ConversationStatus | null,
    note: string | null = null,
    detail: Record<string, unknown> = {},
  ): void {
    this.events.push({ tenantId: this.tenantId, conversationId: this.id, kind, fromStatus, toStatus, actorUserId: actor.userId ?? null, actorLabel: actor.label ?? actor.email!, note, detail, createdAt: at });
  }
}
