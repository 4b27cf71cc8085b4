import { randomUUID } from "node:crypto";
import type { SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { withDeadline } from "../flows/deadline";
import { runTurn, type ConversationState, type IntegrationCaller, type LlmGenerator, type TurnResult, type TurnStreamSink, type UserInput } from "../flows/engine";
import { wakeDeliveryWorkers } from "../outbox/wake";
import { wakeLocalReaders } from "../realtime/conversation-bus";
import { findStoredResult, lockStatements, resolveLock, type LockedConversation } from "./conversation-repo";
import { loadFlowRuntime, type FlowRuntime } from "./flow-runtime";
import type { InboundMessage, MessageContent } from "./message-schema";
import { persistTurnStatement, type Presumes } from "./persist-turn";
import type { PipelineResult } from "./pipeline-result";
import { chatResultOf, heardByPerson, nextStatus, turnFacts } from "./turn-record";
import { isPresumptionRefused, presumeFirstTurn, presumptions, refusingPorts, rememberLiveVersion, type Presumption } from "./presumed-first-turn";
import { forgetConversation, presumeNextTurn, rememberConversation, type LeftConversation } from "./presumed-next-turn";
import { presumeSeen, type SeenConversation } from "./seen-conversation";
import { runTurnTransaction } from "./turn-transaction";

export type PipelineDeps = {
  db: Db;
  now?: () => Date;
  integrations?: IntegrationCaller;
  /** Resolved per tenant by the model router; absent means templates only. */
  llmFor?: (tenantId: string) => Promise<LlmGenerator | undefined>;
  /** Overrides the flow's turn budget (see FlowRuntime). */
  turnTimeoutMs?: number;
};

export type ProcessOptions = {
  /** Receives the bot turn's stream (see RunTurnArgs.onEvent); the result still carries every reply, once stored. */
  onEvent?: TurnStreamSink;
  /**
   * An admission check run alongside the turn (server/channels/inbound.ts): awaited once the turn's opening
   * statements are back, before anything is read, run or written; a rejection rolls the turn back.
   */
  admitted?: () => Promise<void>;
  /**
   * What admits an end user's first message ever instead of `admitted`, for a presumed first turn, whose write
   * stores nothing unless it claims the end user: the checks it still needs before that write, and `counted`
   * once it is stored.
   */
  firstEver?: { admitted: () => Promise<void>; counted: () => void };
  /**
   * The entry point expects a new end user's first message (one this process has not seen lately, on an
   * entry point where first messages are common): the turn may run on presumptions (presumed-first-turn.ts).
   */
  presumeFirst?: boolean;
  /** Committed in the turn's own write when it stores one (see TurnWrite.settles); a duplicate stores nothing, so its caller settles itself. */
  settles?: SQL;
  /** What the statement that handed the turn its message read of the end user's conversations: the turn may run on it (seen-conversation.ts). */
  seen?: SeenConversation;
};

export const FALLBACK_TEXT = "Sorry, I ran into a problem answering that. Please try again in a moment.";

function toUserInput(content: MessageContent): UserInput {
  switch (content.type) {
    case "text":
      return { type: "text", text: content.text };
    case "image":
      return { type: "image", url: content.url, mime_type: content.mime_type, caption: content.caption, size_bytes: content.size_bytes };
    case "file":
      return { type: "file", url: content.url, mime_type: content.mime_type, caption: content.caption, size_bytes: content.size_bytes, filename: content.filename };
    case "location":
      return { type: "location", latitude: content.latitude, longitude: content.longitude, name: content.name };
  }
}

/** Our own deadline: its message is safe to show the API caller, unlike an arbitrary failure's. */
class TurnTimeout extends Error {}

/**
 * A failure anywhere in the turn becomes a polite answer; the conversation state is left as it was. The
 * caller learns that it failed (and of a timeout, after how long), never an internal error's text.
 */
function fallbackTurn(state: ConversationState | null, error: unknown, messageId: string): TurnResult & { error: string } {
  if (!(error instanceof TurnTimeout)) console.error(`[pipeline] turn failed for message ${messageId}`, error);
  return {
    messages: [{ type: "text", text: FALLBACK_TEXT }],
    state: state ?? { current_state: "", current_intent: null, intent_confidence: 0, entities: {}, slots: {}, missing_required_slots: [], retries: {}, turn_count: 0, status: "active" },
    trace: [],
    intent: { name: null, confidence: 0, alternatives: [] },
    entities: {},
    model_used: null,
    model_usage: null,
    model_calls: [],
    escalated: false,
    not_understood: false,
    error: error instanceof TurnTimeout ? error.message : `The turn failed; the server log has the cause under message ${messageId}.`,
  };
}

/** A model that cannot be loaded (database hiccup, undecryptable key) means templates, not a failed turn. */
async function modelFor(deps: PipelineDeps, tenantId: string): Promise<LlmGenerator | undefined> {
  try {
    return await deps.llmFor?.(tenantId);
  } catch (error) {
    console.warn(`[pipeline] model router unavailable for tenant ${tenantId}, answering from templates: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === "23505" || err?.cause?.code === "23505";
};

type TurnPorts = { integrations: IntegrationCaller | undefined; llm: LlmGenerator | undefined };
type TurnCall = { conversation: LockedConversation; runtime: FlowRuntime; ports: TurnPorts; onEvent?: TurnStreamSink };
/** A stored turn's answer and the conversation it left, or the stored answer to a redelivered message. */
type Turned = { result: PipelineResult; left: LeftConversation } | PipelineResult;

/**
 * One turn of one conversation: lock (and dedupe), run the flow, persist both sides in one statement, answer.
 * A new end user's first message, or the next message of a conversation this process left, may instead run on
 * presumptions checked by its write, a statement of its own (presumed-first-turn.ts, presumed-next-turn.ts):
 * one round trip instead of two, and no transaction. Admission checks (rate limits) belong before this, so a
 * slow cache never holds the turn's transaction, its row lock and a pooled connection.
 */
export async function processMessage(deps: PipelineDeps, tenantId: string, input: InboundMessage, options: ProcessOptions = {}): Promise<PipelineResult> {
  const started = performance.now();
  const now = deps.now?.() ?? new Date();
  const messageId = input.message_id ?? randomUUID();
  const llm = await modelFor(deps, tenantId);
  const userName = typeof input.channel_metadata?.user_name === "string" ? input.channel_metadata.user_name : undefined;
  const runBot = ({ conversation, runtime, ports, onEvent }: TurnCall) => {
    const prior = conversation.state;
    const budgetMs = deps.turnTimeoutMs ?? runtime.turnBudgetMs;
    return withDeadline(
      budgetMs,
      undefined,
      (signal) =>
        runTurn({ flow: runtime.flow, nlu: runtime.nlu, now, state: prior, input: toUserInput(input.content), context: { user_name: userName, returning_user: conversation.isNew && conversation.returningUser }, ...ports, signal, ...(onEvent && { onEvent }) }),
      () => {
        throw new TurnTimeout(`Turn exceeded ${budgetMs} ms`);
      },
    );
  };
  // The turn's answer and its closing write.
  const recorded = (conversation: LockedConversation, runtime: FlowRuntime, turn: TurnResult & { error?: string }, presumes?: Presumes) => {
    const processingMs = Math.round(performance.now() - started);
    const result: PipelineResult = { ...chatResultOf(turn, { messageId, conversationId: conversation.id, flowVersionId: runtime.versionId }, processingMs), duplicate: false };
    const status = nextStatus(conversation.status, turn);
    const left: LeftConversation = { id: conversation.id, status, state: turn.state, flowVersionId: runtime.versionId, messageCount: conversation.messageCount + 1 + turn.messages.length, lastSequence: conversation.lastSequence + 1 + turn.messages.length, updatedAt: now.toISOString() };
    const write = persistTurnStatement({
      tenantId,
      conversation,
      input,
      messageId,
      now,
      result,
      replies: turn.messages,
      intent: turn.intent,
      modelUsed: turn.model_used,
      processingMs,
      state: turn.state as unknown as Record<string, unknown>,
      status,
      facts: turnFacts(conversation.status, turn, input.sandbox === true),
      settles: options.settles,
      presumes,
    });
    return { write, value: { result, left } };
  };
  const presumed = options.onEvent ? null : options.seen ? presumeSeen(tenantId, input, now, options.seen) : presumeNextTurn(tenantId, input, now) ?? presumedFirst();
  try {
    const turned = (presumed && (await presumedTurn(presumed))) || (await longTurn());
    if (!("left" in turned)) return turned;
    const { result: outcome, left } = turned;
    rememberConversation(tenantId, input, left);
    // The turn statement notified the other processes at commit.
    wakeLocalReaders(tenantId, outcome.conversation_id);
    if (input.delivery && outcome.response.messages.length) wakeDeliveryWorkers("outbox");
    return outcome;
  } catch (error) {
    // A concurrent redelivery won the race to insert the same message id: answer with its result.
    if (input.message_id && isUniqueViolation(error)) {
      const stored = await findStoredResult(deps.db, tenantId, input);
      if (stored) return { ...stored, duplicate: true };
    }
    throw error;
  }

  function presumedFirst(): (Presumption & { presumes: Presumes }) | null {
    const first = options.presumeFirst && !input.conversation_id ? presumeFirstTurn(tenantId) : null;
    return first && { ...first, presumes: presumptions(tenantId, input, first) };
  }

  function longTurn() {
    // Checked while the transaction opens; awaited before anything is read.
    const admitted = options.admitted?.();
    admitted?.catch(() => {});
    return runTurnTransaction<Turned>(deps.db, lockStatements(tenantId, input, now), async (opened, tx) => {
      await admitted;
      const { conversation, stored } = await resolveLock(opened, tx, tenantId, input);
      if (stored) return { write: null, value: { ...stored, duplicate: true } };
      const runtime = await loadFlowRuntime(tx, tenantId, conversation.flowVersionId);
      if (conversation.isNew) rememberLiveVersion(tenantId, conversation.flowVersionId);
      const prior = conversation.state;
      const botTurn = () => runBot({ conversation, runtime, ports: { integrations: deps.integrations, llm }, onEvent: options.onEvent }).catch((error: unknown) => fallbackTurn(prior, error, messageId));
      const turn: TurnResult & { error?: string } = conversation.status === "with_agent" && prior ? heardByPerson(prior) : await botTurn();
      return recorded(conversation, runtime, turn);
    });
  }

  /**
   * A turn on presumptions (a first message, presumed-first-turn.ts, or the next one of a conversation this
   * process left, presumed-next-turn.ts): the turn runs with ports that refuse to reach outside, then one
   * statement checks the presumptions and writes it, one round trip. Null when it has to run the long way:
   * the turn reached outside or failed (the long way runs it for real, with its deadline and fallback), or a
   * presumption no longer held and nothing was written.
   */
  async function presumedTurn(presumed: Presumption & { presumes: Presumes }): Promise<Turned | null> {
    const ports = refusingPorts(llm);
    const turn = await runBot({ ...presumed, ports }).catch(() => null);
    if (!turn || ports.reached()) return null;
    // A refusal stores nothing: the write is not sent before the limit's verdict.
    const first = presumed.conversation.isNew ? options.firstEver : undefined;
    await (first ? first.admitted() : options.admitted?.());
    const { write, value } = recorded(presumed.conversation, presumed.runtime, turn, presumed.presumes);
    try {
      await deps.db.execute(write);
      first?.counted();
      return value;
    } catch (error) {
      // A concurrent turn of the conversation may take the sequences first (a unique violation): the long way
      // then reads what it stored, or the stored answer of a redelivered message.
      if (!isPresumptionRefused(error) && !isUniqueViolation(error)) throw error;
      forgetConversation(tenantId, input);
      return null;
    }
  }
}
