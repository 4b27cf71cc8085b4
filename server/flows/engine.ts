import type { IntentScore } from "@/server/nlu/classifier";
import type { Nlu } from "@/server/nlu/nlu";
import type { BotMessage } from "./bot-message";
import { startState, type ConversationState } from "./conversation-state";
import { FlowDefinitionError, FlowLoopError } from "./flow-errors";
import type { FlowDefinition, FlowState } from "./flow-schema";
import type { IntegrationCaller, LlmGenerator, ModelCallRecord, TokenUsage } from "./ports";
import { enterHandoff, enterLlm, enterResponse, offerToReply } from "./reply-states";
import { renderTemplate } from "./templates";
import { enterCondition, enterIntegration, enterIntent } from "./routing-states";
import { enterSlotFilling, offerToSlotFilling } from "./slot-filling";
import { scopeOf, type StepOutcome, type TurnContext, type TurnUserContext } from "./turn-context";
import type { TurnStreamSink } from "./turn-stream";
import { inputText, type UserInput } from "./user-input";

export { startState } from "./conversation-state";
export type { ConversationState } from "./conversation-state";
export type { BotMessage } from "./bot-message";
export type { UserInput } from "./user-input";
export type { IntegrationCaller, LlmGenerator } from "./ports";
export type { TurnStreamEvent, TurnStreamSink } from "./turn-stream";

const DEFAULT_MAX_STEPS = 25;
export const DEFAULT_NOT_UNDERSTOOD = "Sorry, I didn't catch that. Could you say it another way?";
export const WAITING_FOR_HUMAN = "A member of our team will be with you shortly.";

export type TraceStep = { state: string; type: FlowState["type"]; transition?: string };

export type TurnResult = {
  messages: BotMessage[];
  state: ConversationState;
  trace: TraceStep[];
  /** The classification made this turn; null name when no intent state ran or none was confident. */
  intent: { name: string | null; confidence: number; alternatives: IntentScore[] };
  entities: Record<string, unknown>;
  model_used: string | null;
  model_usage: TokenUsage | null;
  /** What the router recorded of each model call this turn, answered or not (the pipeline stores them with the reply). */
  model_calls: ModelCallRecord[];
  escalated: boolean;
  /** The bot did not understand the input: an intent state fell through to its fallback, or nothing answered it. */
  not_understood: boolean;
};

export type RunTurnArgs = {
  flow: FlowDefinition;
  nlu: Nlu;
  state: ConversationState | null;
  input: UserInput;
  context?: TurnUserContext;
  integrations?: IntegrationCaller;
  llm?: LlmGenerator;
  maxSteps?: number;
  /** Anchor for relative dates ("tomorrow"); defaults to the current time. */
  now?: Date;
  signal?: AbortSignal;
  /**
   * Streams the turn: an llm state's text token by token, and the replies before it as complete
   * messages first. Replies after the last llm state are only in the result (the caller sends them).
   */
  onEvent?: TurnStreamSink;
};

/** Non-text input becomes entities (so a slot named `location` can take it) and well-known slots. */
function applyNonTextInput(input: UserInput, entities: Record<string, unknown>, slots: Record<string, unknown>): void {
  if (input.type === "location") {
    const location = { latitude: input.latitude, longitude: input.longitude, ...(input.name !== undefined && { name: input.name }) };
    entities.location = location;
    slots.location = location;
  } else if (input.type !== "text") {
    const { type, url, mime_type, caption, filename, size_bytes } = input;
    const attachment = { type, url, mime_type, caption, ...(filename !== undefined && { filename }), ...(size_bytes !== undefined && { size_bytes }) };
    entities.attachment = attachment;
    slots.last_attachment = attachment;
  }
}

function enter(ctx: TurnContext, name: string, state: FlowState): StepOutcome | Promise<StepOutcome> {
  switch (state.type) {
    case "response":
      return enterResponse(ctx, state);
    case "llm":
      return enterLlm(ctx, name, state);
    case "handoff":
      return enterHandoff(ctx, state);
    case "intent":
      return enterIntent(ctx, state);
    case "condition":
      return enterCondition(ctx, state);
    case "integration":
      return enterIntegration(ctx, state);
    case "slot_filling":
      return enterSlotFilling(ctx, name, state);
  }
}

/** Input for a state that stopped the previous turn. Routing states simply run again. */
function offer(ctx: TurnContext, name: string, state: FlowState): StepOutcome | Promise<StepOutcome> {
  switch (state.type) {
    case "response":
    case "llm":
    case "handoff":
      return offerToReply(ctx, state);
    case "slot_filling":
      return offerToSlotFilling(ctx, name, state);
    default:
      return enter(ctx, name, state);
  }
}

function describe(outcome: StepOutcome): string | undefined {
  if (outcome.kind === "goto") {
    const { condition, condition_value } = outcome.transition;
    return condition_value === undefined ? condition : `${condition}:${condition_value}`;
  }
  return outcome.kind === "wait" ? undefined : outcome.kind;
}

/**
 * Runs one user turn.
 *
 * The input goes to the state the conversation is waiting in; each transition taken enters
 * the next state, which acts (reply, classify, call, evaluate...) and then either waits for
 * the next input or passes the same input on. Waiting states: replies (response, llm) with
 * an any_input transition or none at all, handoff, and slot_filling while a required slot
 * is missing. Everything else passes through, up to `maxSteps` steps.
 *
 * A new conversation (no state, or no completed turn) enters initial_state with the
 * opening input: an intent router routes it, and a greeting that waits for input greets
 * and then passes the opening input on, so "I need help with my order" is not lost behind
 * "Hi!" (see `offerOnwards`). A conversation that ended, or whose state no longer exists in
 * this flow version, starts again at initial_state keeping its slots. An escalated
 * conversation belongs to a human: until the pipeline sets it back to active, each message
 * is answered only with the handoff state's waiting message, never with silence.
 */
export async function runTurn(args: RunTurnArgs): Promise<TurnResult> {
  const { flow, input } = args;
  const state: ConversationState = args.state ? structuredClone(args.state) : startState(flow);
  const text = inputText(input);
  const now = args.now ?? new Date();
  const entities = state.status === "escalated" ? {} : { ...args.nlu.extract(text, now) };
  const ctx: TurnContext = {
    flow,
    nlu: args.nlu,
    text,
    entities,
    now,
    state,
    messages: [],
    intent: null,
    modelUsed: null,
    modelUsage: null,
    modelCalls: [],
    userContext: args.context ?? {},
    released: 0,
    ...(args.onEvent && { stream: args.onEvent }),
    ...(args.integrations && { integrations: args.integrations }),
    ...(args.llm && { llm: args.llm }),
    ...(args.signal && { signal: args.signal }),
  };
  const trace: TraceStep[] = [];
  let nothingAnswered = false;

  if (state.status === "escalated") ctx.messages.push(waitingForHuman(ctx));
  else {
    applyNonTextInput(input, entities, state.slots);
    state.entities = entities;
    const fresh = state.turn_count === 0 || state.status === "ended" || flow.states[state.current_state] === undefined;
    state.status = "active";
    const maxSteps = args.maxSteps ?? flow.settings.max_steps ?? DEFAULT_MAX_STEPS;
    await walk(ctx, fresh ? flow.initial_state : state.current_state, fresh ? "enter" : "offer", trace, maxSteps);
    // The visitor must never be met with silence by the bot (only a human-owned conversation is quiet).
    nothingAnswered = ctx.messages.length === 0 && ctx.state.status !== "escalated";
    if (nothingAnswered) ctx.messages.push({ type: "text", text: flow.settings.not_understood ?? DEFAULT_NOT_UNDERSTOOD });
    state.turn_count++;
  }

  return {
    messages: ctx.messages,
    state,
    trace,
    intent: ctx.intent
      ? { name: ctx.intent.intent, confidence: ctx.intent.confidence, alternatives: ctx.intent.alternatives }
      : { name: null, confidence: 0, alternatives: [] },
    entities,
    model_used: ctx.modelUsed,
    model_usage: ctx.modelUsage,
    model_calls: ctx.modelCalls,
    escalated: state.status === "escalated",
    not_understood: nothingAnswered || trace.some((step) => step.type === "intent" && step.transition === "fallback"),
  };
}

/** The handoff state's answer to a visitor who writes while the conversation waits for a person. */
function waitingForHuman(ctx: TurnContext): BotMessage {
  const state = ctx.flow.states[ctx.state.current_state];
  const config = state?.type === "handoff" ? state.config : undefined;
  const text = config ? renderTemplate(config.waiting_message ?? config.message, scopeOf(ctx)) : "";
  return { type: "handoff", text: text !== "" ? text : WAITING_FOR_HUMAN, ...(config?.queue && { queue: config.queue }) };
}

/** What the turn has said and decided so far, to take back a tentative step. */
type Checkpoint = { state: ConversationState; messages: number; trace: number; modelUsed: string | null };

const checkpoint = (ctx: TurnContext, trace: TraceStep[]): Checkpoint => ({ state: structuredClone(ctx.state), messages: ctx.messages.length, trace: trace.length, modelUsed: ctx.modelUsed });

function rollBack(ctx: TurnContext, trace: TraceStep[], saved: Checkpoint): void {
  // In place: the caller holds ctx.state.
  for (const key of Object.keys(ctx.state)) delete (ctx.state as Record<string, unknown>)[key];
  Object.assign(ctx.state, saved.state);
  ctx.messages.length = saved.messages;
  trace.length = saved.trace;
  ctx.modelUsed = saved.modelUsed;
}

/**
 * The initial state greeted and now waits for input, although this turn's input has not been used
 * yet (a new conversation, or a restart after a terminal state): offer it onwards as the flow
 * passes it on. Unless the first state that reads it understands it (see `understood`), the
 * attempt is taken back: for a bare "Hello" the greeting is the answer, and no "I didn't get
 * that" follows it.
 */
function offerOnwards(ctx: TurnContext, name: string, state: FlowState): boolean {
  return name === ctx.flow.initial_state && state.type === "response" && state.transitions.some((t) => t.condition === "any_input");
}

/**
 * Whether the input offered onwards was understood by this state: an intent state accepted an
 * intent, a slot_filling state took a value from it. Undefined for states that do not read input.
 */
function understood(ctx: TurnContext, state: FlowState, before: Checkpoint): boolean | undefined {
  if (state.type === "intent") return ctx.state.current_intent !== null;
  if (state.type === "slot_filling") return Object.entries(ctx.state.slots).some(([slot, value]) => JSON.stringify(before.state.slots[slot]) !== JSON.stringify(value));
  return undefined;
}

async function walk(ctx: TurnContext, start: string, startMode: "enter" | "offer", trace: TraceStep[], maxSteps: number): Promise<void> {
  const { flow } = ctx;
  const visited: string[] = [];
  let name = start;
  let mode = startMode;
  // The input is unused while the walk starts afresh at initial_state; the first offer consumes it.
  let inputUnused = startMode === "enter";
  let tentative: Checkpoint | null = null;
  for (;;) {
    if (visited.length >= maxSteps) throw new FlowLoopError(visited);
    const state = flow.states[name];
    if (!state) throw new FlowDefinitionError(name, `state "${name}" is not defined in flow "${flow.name}"`);
    visited.push(name);
    // A model call or an integration is never made for input that may yet be taken back.
    if (tentative && mode === "enter" && (state.type === "llm" || state.type === "integration")) {
      rollBack(ctx, trace, tentative);
      return;
    }

    const outcome = await (mode === "enter" ? enter(ctx, name, state) : offer(ctx, name, state));
    const transition = describe(outcome);
    trace.push(transition === undefined ? { state: name, type: state.type } : { state: name, type: state.type, transition });

    if (tentative) {
      const verdict = understood(ctx, state, tentative);
      if (verdict === false || (verdict === undefined && (outcome.kind === "wait" || outcome.kind === "restart"))) {
        rollBack(ctx, trace, tentative);
        return;
      }
      if (verdict) tentative = null;
    }
    if (outcome.kind === "wait") {
      ctx.state.current_state = name;
      if (inputUnused && mode === "enter" && offerOnwards(ctx, name, state)) {
        tentative = checkpoint(ctx, trace);
        inputUnused = false;
        mode = "offer";
        continue;
      }
      return;
    }
    if (mode === "offer") inputUnused = false;
    mode = "enter";
    if (outcome.kind === "goto") name = outcome.transition.target_state;
    else if (outcome.kind === "restart") {
      name = flow.initial_state;
      ctx.state.status = "active";
      inputUnused = true;
    }
  }
}
