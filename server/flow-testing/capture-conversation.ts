import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { conversationEvents, conversations, flowVersions, messages } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { flowDefinitionSchema } from "../flows/flow-schema";
import { userInputSchema } from "../flows/user-input";
import { inboundMetadataSchema } from "../inbox/inbox-schemas";
import { buildFlowNlu } from "../pipeline/flow-nlu";
import { chatResultSchema } from "../pipeline/pipeline-result";
import { replayTurns, type ReplayFlow } from "./replay";
import type { TestCaseTurn } from "./test-case-schema";

export type CapturedConversation = { flowId: string; flowVersion: number; turns: TestCaseTurn[] };

/** Every publish replays every case under the flow's row lock, so a case stays a conversation's opening, not its whole history. */
export const MAX_TEST_CASE_TURNS = 100;

/** A stored turn before its model answers are known. */
type StoredTurn = Omit<TestCaseTurn, "model_answers"> & { modelUsed: string | null };

async function requireConversationVersion(db: Db, tenantId: string, conversationId: string) {
  const [row] = await db
    .select({ flowId: flowVersions.flowId, version: flowVersions.version, definition: flowVersions.definition })
    .from(conversations)
    .leftJoin(flowVersions, and(eq(flowVersions.id, conversations.flowVersionId), eq(flowVersions.tenantId, tenantId)))
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.");
  if (!row.flowId || row.version === null) throw new AppError("VALIDATION_ERROR", "This conversation ran on no published flow (or its version was deleted), so it cannot be saved as a flow's test case.");
  return { flowId: row.flowId, version: row.version, flow: flowDefinitionSchema.parse(row.definition) };
}

/**
 * The turns the bot answered on its own, in order (at most MAX_TEST_CASE_TURNS): the test case ends where a
 * person first took the conversation (or wrote in it), since what followed depended on them and no replay can repeat it.
 */
async function storedTurns(db: Db, tenantId: string, conversationId: string): Promise<StoredTurn[]> {
  const [taken] = await db
    .select({ at: conversationEvents.createdAt })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, conversationId), eq(conversationEvents.tenantId, tenantId), eq(conversationEvents.kind, "taken")))
    .orderBy(asc(conversationEvents.createdAt))
    .limit(1);
  const rows = await db
    .select({ direction: messages.direction, content: messages.content, metadata: messages.metadata, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.tenantId, tenantId)))
    .orderBy(asc(messages.sequence));
  const turns: StoredTurn[] = [];
  for (const row of rows) {
    if (turns.length === MAX_TEST_CASE_TURNS || (taken && row.at >= taken.at)) break;
    if (row.direction === "outbound") {
      if (row.metadata.author === "agent") break;
      continue;
    }
    const metadata = inboundMetadataSchema.safeParse(row.metadata).data;
    const result = chatResultSchema.safeParse(metadata?.result).data;
    const input = userInputSchema.safeParse(row.content).data;
    // A turn the bot stayed quiet on belongs to a person; one stored without its result cannot be compared.
    if (!result || !input || result.response.messages.length === 0) break;
    const userName = metadata?.channel_metadata?.user_name;
    turns.push({
      input,
      at: row.at.toISOString(),
      ...(typeof userName === "string" && { user_name: userName }),
      expected: {
        replies: result.response.messages.map((m) => m.text),
        state: result.conversation_state.current_state,
        intent: result.processing_metadata.intent.name,
        slots: result.conversation_state.slots,
      },
      modelUsed: result.processing_metadata.model_used,
    });
  }
  return turns;
}

const marker = (n: number) => `\u2063model-answer-${n}\u2063`;

/**
 * Which stored replies the model wrote. The stored turn says which model answered, not which of its replies
 * that was, so the version the conversation ran on is replayed with a numbered placeholder for each model
 * answer: where placeholder n lands, the stored reply at that place is the recorded answer n. In a turn no
 * model answered (model_used null), each call is recorded as unanswered, so its fallback template answers again.
 */
async function withModelAnswers(version: ReplayFlow, turns: StoredTurn[]): Promise<TestCaseTurn[]> {
  const calls: number[] = turns.map(() => 0);
  let turnIndex = 0;
  const probe = await replayTurns(
    version,
    turns.map(({ modelUsed: _, ...turn }) => ({ ...turn, model_answers: [] })),
    () => {
      const index = turnIndex++;
      return { generate: async () => ({ text: marker(calls[index]!++), model: "probe" }) };
    },
  );
  return turns.map(({ modelUsed, ...turn }, index) => {
    const replies = probe.turns[index]!.replies.actual;
    const answers = Array.from({ length: calls[index]! }, (_, n) => {
      const at = replies.indexOf(marker(n));
      return modelUsed !== null && at !== -1 ? (turn.expected.replies[at] ?? null) : null;
    });
    return { ...turn, model_answers: answers };
  });
}

/** A stored conversation as test case turns, with its flow; NOT_FOUND for another tenant's conversation. */
export async function captureConversation(db: Db, tenantId: string, conversationId: string): Promise<CapturedConversation> {
  const version = await requireConversationVersion(db, tenantId, conversationId);
  const turns = await storedTurns(db, tenantId, conversationId);
  if (turns.length === 0) throw new AppError("VALIDATION_ERROR", "This conversation has no turns the bot answered, so there is nothing to test.");
  return { flowId: version.flowId, flowVersion: version.version, turns: await withModelAnswers({ flow: version.flow, nlu: buildFlowNlu(version.flow) }, turns) };
}
