import type { Db } from "@/db/client";
import { queryRows } from "@/db/query-rows";
import { AppError } from "../errors/app-error";
import { startState, type ConversationState } from "../flows/conversation-state";
import type { FlowDefinition, StateOf } from "../flows/flow-schema";
import { loadFlowRuntime } from "../pipeline/flow-runtime";
import type { LockedConversation } from "./conversation-lock";

/** The flow version the conversation runs (the starter flow when it has none), as its turns load it. */
export async function conversationFlow(tx: Db, c: LockedConversation): Promise<FlowDefinition> {
  const runtime = await loadFlowRuntime({ query: (statement) => queryRows(tx, statement) }, c.tenantId, c.flowVersionId);
  return runtime.flow;
}

/** The state to hand back to: one of the flow's states, the initial state when none is named. */
export function resumeStateOf(flow: FlowDefinition, requested: string | undefined): string {
  if (requested === undefined) return flow.initial_state;
  if (Object.hasOwn(flow.states, requested)) return requested;
  const states = Object.keys(flow.states);
  throw new AppError("VALIDATION_ERROR", `"${requested}" is not a state of this conversation's flow; choose one of: ${states.join(", ")}.`, {
    field: "resume_state",
    fields: { resume_state: "Not a state of this conversation's flow" },
    states,
  });
}

/**
 * The conversation's state once the bot has it back, waiting at `resumeAt`: the visitor's next message is
 * offered to that state. turn_count stays above zero, else the engine would start afresh at initial_state.
 */
export function resumedState(flow: FlowDefinition, state: ConversationState | null, resumeAt: string): ConversationState {
  const base = state ?? startState(flow);
  return { ...base, current_state: resumeAt, status: "active", retries: {}, turn_count: Math.max(base.turn_count, 1) };
}

/** While a person has the conversation the engine treats it as escalated: the bot never answers for them. */
export function heldState(state: ConversationState | null): ConversationState | null {
  return state && { ...state, status: "escalated" };
}

export function endedState(state: ConversationState | null): ConversationState | null {
  return state && { ...state, status: "ended" };
}

/** The handoff state the conversation waits in, if it is one. */
export function handoffStateOf(flow: FlowDefinition, state: ConversationState | null): StateOf<"handoff"> | null {
  const current = state ? flow.states[state.current_state] : undefined;
  return current?.type === "handoff" ? current : null;
}

/** Where the away timer hands the conversation back: the handoff state's fallback transition, else the initial state. */
export function awayTarget(flow: FlowDefinition, handoff: StateOf<"handoff">): string {
  const fallback = handoff.transitions.find((t) => t.condition === "fallback");
  return fallback && Object.hasOwn(flow.states, fallback.target_state) ? fallback.target_state : flow.initial_state;
}
