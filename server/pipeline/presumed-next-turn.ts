import type { ConversationStatus } from "@/db/schema";
import { noStatement, stmt } from "@/db/statement";
import type { ConversationState } from "../flows/conversation-state";
import { CONTINUE_WITHIN_MS, type LockedConversation } from "./conversation-repo";
import { cachedFlowRuntime } from "./flow-runtime";
import type { InboundMessage } from "./message-schema";
import type { Presumes } from "./persist-turn";
import type { Presumption } from "./presumed-first-turn";

/*
 * The next message of a conversation this process wrote last, answered in one round trip instead of two,
 * without a transaction: the turn presumes the conversation is still as this process left it (its row,
 * state and sequence) and still the end user's latest on the channel, runs before touching the database, and
 * its update stores nothing unless the row is unchanged (persist-turn.ts `Presumes`). Any other writer of the
 * conversation (another process's turn, an agent, a timeout) bumps `updated_at` (inbox/conversation-lock.ts),
 * so the update then finds no row, the statement fails with CB001 and the turn runs the long way. Only a
 * conversation the bot is answering is presumed; one with a person, or waiting for one, runs the long way.
 */

const MAX_CONVERSATIONS = 10_000;
/** `updatedAt`: the row's updated_at exactly (an ISO timestamp, to the microsecond), as the update compares it. */
export type LeftConversation = { id: string; status: ConversationStatus; state: ConversationState; flowVersionId: string | null; messageCount: number; lastSequence: number; updatedAt: string };
const left = new Map<string, LeftConversation>();

const keyOf = (tenantId: string, input: Pick<InboundMessage, "channel" | "user_id">) => `${tenantId}\u0000${input.channel}\u0000${input.user_id}`;

/** What this process's turn committed to the end user's conversation; a conversation left with a person is forgotten. */
export function rememberConversation(tenantId: string, input: InboundMessage, after: LeftConversation): void {
  const key = keyOf(tenantId, input);
  left.delete(key);
  if (after.status !== "in_progress") return;
  if (left.size >= MAX_CONVERSATIONS) left.delete(left.keys().next().value!);
  left.set(key, after);
}

/** Forgets the end user's conversation: a presumption about it failed, so the long way reads it again. */
export function forgetConversation(tenantId: string, input: InboundMessage): void {
  left.delete(keyOf(tenantId, input));
}

/**
 * The turn a message presumes to continue, with what its update must find: the row as this process left it
 * (or as `seen`, read by the statement that handed the turn its message), and (for a message that does not
 * name its conversation, which the long way finds as the end user's latest on the channel) no later
 * conversation. Null when the message names another conversation, starts a new one, or this process has
 * not left (or seen) one the bot answers.
 */
export function presumeNextTurn(tenantId: string, input: InboundMessage, now: Date, seen?: LeftConversation): (Presumption & { presumes: Presumes }) | null {
  const c = seen ?? left.get(keyOf(tenantId, input));
  if (!c || c.status !== "in_progress" || input.startNew || (input.conversation_id && input.conversation_id !== c.id)) return null;
  if (now.getTime() - Date.parse(c.updatedAt) >= CONTINUE_WITHIN_MS) return null;
  const runtime = cachedFlowRuntime(c.flowVersionId);
  if (!runtime || runtime.versionId !== c.flowVersionId) return null;
  const conversation: LockedConversation = { id: c.id, isNew: false, status: c.status, state: c.state, flowVersionId: c.flowVersionId, messageCount: c.messageCount, lastSequence: c.lastSequence, returningUser: false };
  const updatedAt = stmt`${c.updatedAt}::timestamptz`;
  const latest = input.conversation_id
    ? noStatement
    : stmt`and not exists (select 1 from conversations o where o.tenant_id = ${tenantId}::uuid and o.end_user_id = ${input.user_id} and o.channel = ${input.channel}
            and o.id <> ${c.id}::uuid and o.updated_at >= ${updatedAt})`;
  return { conversation, runtime, presumes: { lockKey: null, holds: stmt`last_sequence = ${c.lastSequence}::int and status = ${c.status} and updated_at = ${updatedAt} ${latest}` } };
}
