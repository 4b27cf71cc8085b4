import type { BotMessage } from "./bot-message";
import { withDeadline } from "./deadline";
import type { CarouselConfig, CarouselItem, StateOf } from "./flow-schema";
import { ModelCallFailedError, type LlmAnswer, type LlmGenerator, type RoutingOverride } from "./ports";
import { getPath, isPresent, type ReferenceScope } from "./references";
import { pickTemplate, renderTemplate } from "./templates";
import { pickTransition } from "./transitions";
import { baseFacts, outcomeOf, releaseMessages, scopeOf, type StepOutcome, type TurnContext } from "./turn-context";
import { cutOffText, STREAM_INTERRUPTED_CODE, STREAM_INTERRUPTED_MESSAGE } from "./turn-stream";

type ReplyState = StateOf<"response"> | StateOf<"llm"> | StateOf<"handoff">;

/**
 * A reply waits for the user when one of its transitions is any_input. With no
 * transitions (or `end`) it closes the conversation; otherwise it passes straight on.
 */
function isTerminal(state: ReplyState): boolean {
  return state.transitions.length === 0 || (state.type === "response" && state.config.end === true);
}

function afterReply(ctx: TurnContext, state: ReplyState): StepOutcome {
  if (isTerminal(state)) {
    if (ctx.state.status === "active") ctx.state.status = "ended";
    return { kind: "wait" };
  }
  if (state.transitions.some((t) => t.condition === "any_input")) return { kind: "wait" };
  return outcomeOf(pickTransition(state.transitions, baseFacts(ctx)));
}

/** The input reached a state that was waiting for it. */
export function offerToReply(ctx: TurnContext, state: ReplyState): StepOutcome {
  if (isTerminal(state)) return { kind: "restart" };
  const transition = pickTransition(state.transitions, baseFacts(ctx));
  return transition ? { kind: "goto", transition } : { kind: "repeat" };
}

function renderItem(template: CarouselItem, scope: ReferenceScope): CarouselItem | null {
  const title = renderTemplate(template.title, scope);
  if (title === "") return null;
  const item: CarouselItem = { title };
  for (const key of ["subtitle", "image_url", "payload"] as const) {
    const source = template[key];
    const rendered = source === undefined ? "" : renderTemplate(source, scope);
    if (rendered !== "") item[key] = rendered;
  }
  return item;
}

const DEFAULT_ITEM: CarouselItem = { title: "{title}", subtitle: "{subtitle}", image_url: "{image_url}", payload: "{payload}" };

function carouselItems(config: CarouselConfig, scope: ReferenceScope): CarouselItem[] {
  const rendered: (CarouselItem | null)[] = [];
  for (const item of config.items ?? []) rendered.push(renderItem(item, scope));
  const source = config.source_slot ? getPath(scope.slots, config.source_slot) : undefined;
  if (Array.isArray(source)) {
    for (const element of source) {
      const fields = element !== null && typeof element === "object" ? (element as Record<string, unknown>) : {};
      rendered.push(renderItem(config.item ?? DEFAULT_ITEM, { ...scope, slots: { ...scope.slots, item: element, ...fields } }));
    }
  }
  return rendered.filter((i): i is CarouselItem => i !== null).slice(0, config.max_items);
}

export function enterResponse(ctx: TurnContext, state: StateOf<"response">): StepOutcome {
  const scope = scopeOf(ctx);
  const returningUser = ctx.userContext.returning_user === true || ctx.state.turn_count > 0;
  const text = renderTemplate(pickTemplate(state.config.response_templates, scope, returningUser), scope);
  const items = state.config.carousel ? carouselItems(state.config.carousel, scope) : [];
  const quickReplies = state.config.quick_replies?.map((q) => renderTemplate(q, scope)).filter(isPresent);

  let message: BotMessage;
  if (items.length > 0) message = { type: "carousel", text, items };
  else if (quickReplies && quickReplies.length > 0) message = { type: "text", text, quick_replies: quickReplies };
  else message = { type: "text", text };
  ctx.messages.push(message);
  return afterReply(ctx, state);
}

/** The model's answer, or the text it had streamed when its stream broke (which the visitor has already seen). */
type Generated = { text: string } | { cut: string };

async function generate(ctx: TurnContext, llm: LlmGenerator, name: string, config: StateOf<"llm">["config"]): Promise<Generated> {
  const scope = scopeOf(ctx);
  const sink = ctx.stream;
  const index = ctx.messages.length;
  let streamed = "";
  // Tokens arriving after the state's deadline belong to an answer it has already given up on.
  let open = true;
  const onToken = (delta: string) => {
    if (!open || delta === "") return;
    streamed += delta;
    sink?.({ type: "token", index, state: name, delta });
  };
  // The replies before this one reach the visitor before its first token.
  releaseMessages(ctx);
  try {
    const result = await withDeadline(
      config.timeout_ms,
      ctx.signal,
      (signal) =>
        llm.generate({
          system_prompt: renderTemplate(config.system_prompt, scope),
          prompt: renderTemplate(config.prompt_template ?? "{input}", scope),
          slots: ctx.state.slots,
          ...(config.max_tokens !== undefined && { max_tokens: config.max_tokens }),
          ...(config.model !== undefined && { model: config.model }),
          routing: [ctx.flow.settings.model_routing, config.routing].filter((r): r is RoutingOverride => r !== undefined),
          timeout_ms: config.timeout_ms,
          signal,
          ...(sink && { on_token: onToken }),
        }),
      (): LlmAnswer => ({ text: "", model: "" }),
    );
    open = false;
    if (result.call) ctx.modelCalls.push(result.call);
    const text = result.text.trim();
    if (text === "") return streamed.trim() === "" ? { text } : { cut: streamed };
    ctx.modelUsed = result.model;
    if (result.usage) {
      const sum = ctx.modelUsage ?? { input_tokens: 0, output_tokens: 0 };
      ctx.modelUsage = { input_tokens: sum.input_tokens + result.usage.input_tokens, output_tokens: sum.output_tokens + result.usage.output_tokens };
    }
    return { text };
  } catch (error) {
    open = false;
    // A failed, late or unaffordable generation is answered by the template; the router's record
    // of why is stored with the reply.
    if (error instanceof ModelCallFailedError) ctx.modelCalls.push(error.call);
    if (streamed.trim() === "") return { text: "" };
    if (error instanceof ModelCallFailedError && error.call.provider && error.call.model) ctx.modelUsed = `${error.call.provider}:${error.call.model}`;
    return { cut: streamed };
  }
}

/**
 * A stream that broke after its first token cannot be taken back, nor silently replaced: the visitor gets an
 * explicit error, and the stored reply is the text they saw, marked as cut off.
 */
export async function enterLlm(ctx: TurnContext, name: string, state: StateOf<"llm">): Promise<StepOutcome> {
  const { config } = state;
  const generated: Generated = ctx.llm ? await generate(ctx, ctx.llm, name, config) : { text: "" };
  if ("cut" in generated) {
    ctx.stream?.({ type: "error", index: ctx.messages.length, state: name, code: STREAM_INTERRUPTED_CODE, message: STREAM_INTERRUPTED_MESSAGE });
    ctx.messages.push({ type: "text", text: cutOffText(generated.cut) });
  } else ctx.messages.push({ type: "text", text: generated.text !== "" ? generated.text : renderTemplate(config.fallback_template, scopeOf(ctx)) });
  releaseMessages(ctx);
  return afterReply(ctx, state);
}

export function enterHandoff(ctx: TurnContext, state: StateOf<"handoff">): StepOutcome {
  const text = renderTemplate(state.config.message, scopeOf(ctx));
  ctx.messages.push(state.config.queue ? { type: "handoff", text, queue: state.config.queue } : { type: "handoff", text });
  ctx.state.status = "escalated";
  return { kind: "wait" };
}
