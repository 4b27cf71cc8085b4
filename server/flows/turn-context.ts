import type { IntentResult } from "@/server/nlu/classifier";
import type { Nlu } from "@/server/nlu/nlu";
import type { BotMessage } from "./bot-message";
import type { ConversationState } from "./conversation-state";
import type { FlowDefinition, Transition } from "./flow-schema";
import type { IntegrationCaller, LlmGenerator, ModelCallRecord, TokenUsage } from "./ports";
import { isPresent, type ReferenceScope } from "./references";
import type { TransitionFacts } from "./transitions";
import type { TurnStreamSink } from "./turn-stream";

export type TurnUserContext = { user_name?: string; returning_user?: boolean };

/** The working set of one turn; state runners mutate `state` and append to `messages`. */
export type TurnContext = {
  flow: FlowDefinition;
  nlu: Nlu;
  text: string;
  entities: Record<string, unknown>;
  now: Date;
  state: ConversationState;
  messages: BotMessage[];
  intent: IntentResult | null;
  modelUsed: string | null;
  /** Summed over the turn's model calls that answered (never taken back: a model is not called tentatively). */
  modelUsage: TokenUsage | null;
  modelCalls: ModelCallRecord[];
  userContext: TurnUserContext;
  integrations?: IntegrationCaller;
  llm?: LlmGenerator;
  /** Aborted when the pipeline gives up on the turn, so outbound calls stop with it. */
  signal?: AbortSignal;
  /** Set when the caller streams the turn: model text as it arrives, and replies once they are final. */
  stream?: TurnStreamSink;
  /** How many of `messages` the stream has been given. */
  released: number;
};

/**
 * wait: stop here until the next input. goto: follow a transition. restart: the state is
 * terminal, begin again at initial_state with this input. repeat: run this state again.
 */
export type StepOutcome =
  | { kind: "wait" }
  | { kind: "goto"; transition: Transition }
  | { kind: "restart" }
  | { kind: "repeat" };

export function scopeOf(ctx: TurnContext): ReferenceScope {
  return {
    slots: ctx.state.slots,
    entities: ctx.entities,
    intent: ctx.state.current_intent,
    input: ctx.text,
    context: ctx.userContext,
  };
}

/**
 * Gives the stream the replies it has not had yet. Called only where no step can be taken back (a model
 * is never called tentatively), so a released reply is never withdrawn by a later rollback.
 */
export function releaseMessages(ctx: TurnContext): void {
  if (!ctx.stream) return;
  for (; ctx.released < ctx.messages.length; ctx.released++) ctx.stream({ type: "message", index: ctx.released, message: ctx.messages[ctx.released]! });
}

export function baseFacts(ctx: TurnContext): TransitionFacts {
  return {
    slotFilled: (slot) => (slot === undefined ? ctx.state.missing_required_slots.length === 0 : isPresent(ctx.state.slots[slot])),
  };
}

export function outcomeOf(transition: Transition | undefined): StepOutcome {
  return transition ? { kind: "goto", transition } : { kind: "wait" };
}
